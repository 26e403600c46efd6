#!/usr/bin/env node
/**
 * platelens vin|plate FILE... — loads the models once, prints one JSON line per input
 * in input order: {"file", "response"} or {"file", "error": {status, message}}.
 * Only those lines go to stdout; diagnostics go to stderr.
 */
import { readFile } from 'node:fs/promises';
import { createRecognizer, PlateLensError } from '@platelens/core/node';

const USAGE = `usage: platelens <vin|plate> [--threads N] FILE...

  vin     read the VIN in each image (CarsXE /v1/vinocr response)
  plate   read the licence plates in each image (CarsXE /platerecognition response)

Prints one JSON line per FILE: {"file": ..., "response": {...}} or {"file": ..., "error": {"status", "message"}}.
Exit status: 0 when every FILE was read (an answer of "nothing found", status 404, counts as read),
1 when any FILE could not be read or processed, 2 on bad usage or when the models cannot load.`;

function parseArgs(argv: string[]) {
  const [command, ...rest] = argv;
  let threads: number | undefined;
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--threads') threads = Number(rest[++i]);
    else if (rest[i] === '--help' || rest[i] === '-h') return null;
    else files.push(rest[i]);
  }
  if ((command !== 'vin' && command !== 'plate') || files.length === 0) return null;
  return { command, threads, files } as const;
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
      const bytes = await readFile(file).catch(() => {
        throw new PlateLensError(400, 'MISSING_IMAGE', `Missing image data: cannot read file ${file}`);
      });
      const response = task === 'vin' ? await recognizer.readVin(bytes) : await recognizer.recognizePlate(bytes);
      line = { file, response };
    } catch (e) {
      const err = e instanceof PlateLensError ? e : new PlateLensError(500, 'INTERNAL', String(e));
      line = { file, error: { status: err.status, message: err.message } };
      // "no VIN / no plate in this image" is CarsXE's answer for a readable image, not a failure
      if (err.status !== 404) failed++;
    }
    process.stdout.write(JSON.stringify(line) + '\n');
  }
  await recognizer.dispose();
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
