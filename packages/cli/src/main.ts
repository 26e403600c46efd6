#!/usr/bin/env node
/**
 * platelens vin|plate FILE... — loads the models once, prints one JSON line per input
 * in input order: {"file", "response"} or {"file", "error": {status, message}}.
 * Only those lines go to stdout; diagnostics go to stderr.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRecognizer, PlateLensError } from '@platelens/core/node';

/** Default --max-bytes: larger than any camera JPEG, small enough to never exhaust memory. */
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

const USAGE = `usage: platelens <vin|plate> [--threads N] [--max-bytes N] FILE...

  vin     read the VIN in each image (CarsXE /v1/vinocr response)
  plate   read the licence plates in each image (CarsXE /platerecognition response)

  --max-bytes N  refuse files larger than N bytes (default ${DEFAULT_MAX_BYTES}); only regular files are read

Prints one JSON line per FILE: {"file": ..., "response": {...}} or {"file": ..., "error": {"status", "code", "message"}}.
Exit status: 0 when every FILE was read (an answer of "nothing found", status 404, counts as read),
1 when any FILE could not be read or processed, 2 on bad usage or when the models cannot load.`;

function parseArgs(argv: string[]) {
  const [command, ...rest] = argv;
  let threads: number | undefined;
  let maxBytes = DEFAULT_MAX_BYTES;
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--threads') threads = Number(rest[++i]);
    else if (rest[i] === '--max-bytes') {
      maxBytes = Number(rest[++i]);
      if (!Number.isInteger(maxBytes) || maxBytes < 1) return null;
    }
    else if (rest[i] === '--help' || rest[i] === '-h') return null;
    else files.push(rest[i]);
  }
  if ((command !== 'vin' && command !== 'plate') || files.length === 0) return null;
  return { command, threads, maxBytes, files } as const;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    process.stderr.write(USAGE + '\n');
    return 2;
  }
  const task = args.command;
  let recognizer;
  try {
    recognizer = await createRecognizer({ tasks: [task], numThreads: args.threads });
  } catch (e) {
    const msg = e instanceof PlateLensError ? e.message : String(e);
    process.stderr.write(`platelens: cannot start the ${task} recognizer: ${msg}\n`);
    return 2;
  }
  let failed = 0;
  for (const file of args.files) {
    let line: object;
    try {
      const bytes = await readImageFile(file, args.maxBytes);
      const response = task === 'vin' ? await recognizer.readVin(bytes) : await recognizer.recognizePlate(bytes);
      line = { file, response };
    } catch (e) {
      const err = e instanceof PlateLensError ? e : new PlateLensError(500, 'INTERNAL', String(e));
      line = { file, error: { status: err.status, code: err.code, message: err.message } };
      // "no VIN / no plate in this image" is CarsXE's answer for a readable image, not a failure
      if (err.status !== 404) failed++;
    }
    process.stdout.write(JSON.stringify(line) + '\n');
  }
  await recognizer.dispose();
  return failed > 0 ? 1 : 0;
}

/**
 * A regular file of at most maxBytes, checked on the opened descriptor before reading
 * (no check-then-open race): /dev/zero, a FIFO, a directory or a 2 GB file is refused
 * with a typed error instead of being read into memory. O_NONBLOCK: opening a FIFO
 * does not wait for a writer.
 */
async function readImageFile(file: string, maxBytes: number): Promise<Uint8Array> {
  let fh;
  try {
    fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw new PlateLensError(400, 'MISSING_IMAGE', `Missing image data: cannot read file ${file} (${why})`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) {
      const kind = st.isDirectory() ? 'a directory' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'not a file';
      throw new PlateLensError(400, 'INVALID_IMAGE', `Invalid image data: ${file} is ${kind}, not a regular file`);
    }
    if (st.size > maxBytes) {
      throw new PlateLensError(413, 'IMAGE_TOO_LARGE', `Invalid image data: ${file} has ${st.size} bytes, over the ${maxBytes}-byte limit (--max-bytes)`);
    }
    // the size may change under us: read at most maxBytes + 1 and refuse if it grew
    const buf = new Uint8Array(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n === buf.length) {
        throw new PlateLensError(413, 'IMAGE_TOO_LARGE', `Invalid image data: ${file} grew past ${Math.min(st.size, maxBytes)} bytes while being read`);
      }
    }
    return buf.subarray(0, n);
  } finally {
    await fh.close();
  }
}

process.exitCode = await main();
