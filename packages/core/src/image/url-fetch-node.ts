/**
 * URL inputs in Node, where the library may run on a server: fetching is off unless the
 * app turns it on, and then it cannot be pointed at the server's own network (SSRF).
 *  - http(s) only; every hop (redirects included, at most 3) is checked again;
 *  - the host is resolved here and every address must be public; the connection goes to
 *    the address that was checked (no DNS rebinding between check and connect);
 *    numeric forms (0x7f000001, 2130706433, ::ffff:7f00:1) are normalised by the URL
 *    parser or unwrapped below before the check;
 *  - one deadline for the whole fetch; the body is streamed and cut at maxUrlBytes,
 *    counted after gzip/deflate/br decoding;
 *  - messages name the rule that refused a URL, never what an internal host answered.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { errors, PlateLensError } from '../errors.ts';
import type { ImageLimits } from './input.ts';

export interface UrlPolicy {
  /** Fetch any public http(s) URL. */
  allowPublic: boolean;
  /** Origins (e.g. 'http://10.0.0.5:8080') fetched even though they are private. */
  allowOrigins: ReadonlySet<string>;
}

const MAX_REDIRECTS = 3;

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16],
  ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) blocked.addSubnet(net, bits, 'ipv6');

/** IPv6 → 8 hextets (handles '::' and a dotted IPv4 tail). */
function hextets(ip: string): number[] {
  let s = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const p = dotted[1].split('.').map(Number);
    s = s.slice(0, -dotted[1].length) + `${((p[0] << 8) | p[1]).toString(16)}:${((p[2] << 8) | p[3]).toString(16)}`;
  }
  const [head, tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail !== undefined ? Array(8 - h.length - t.length).fill('0') : [];
  return [...h, ...fill, ...t].map((x) => parseInt(x, 16));
}

const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/** True for an address on the public internet (not loopback, private, link-local, …). */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return !blocked.check(ip, 'ipv4');
  if (family !== 6) return false;
  const h = hextets(ip.replace(/%.*$/, ''));
  // IPv4 carried inside IPv6 is judged as the IPv4 it is: mapped, NAT64, 6to4
  if (h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff) return isPublicAddress(v4(h[6], h[7]));
  if (h[0] === 0x64 && h[1] === 0xff9b && h.slice(2, 6).every((x) => x === 0)) return isPublicAddress(v4(h[6], h[7]));
  if (h[0] === 0x2002) return isPublicAddress(v4(h[1], h[2]));
  return !blocked.check(h.map((x) => x.toString(16)).join(':'), 'ipv6');
}

const refused = (why: string) => errors.urlNotAllowed(`image URL refused: ${why}`);

function checkUrl(u: URL, policy: UrlPolicy): { trusted: boolean } {
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw refused(`only http(s) URLs are fetched, not ${u.protocol}`);
  if (u.username || u.password) throw refused('URLs with credentials are not fetched');
  if (policy.allowOrigins.has(u.origin)) return { trusted: true };
  if (!policy.allowPublic) throw refused(`${u.origin} is not in urlAllowlist`);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !isPublicAddress(host)) throw refused(`${host} is not a public address`);
  return { trusted: false };
}

/** dns.lookup that only ever hands out public addresses. */
const publicLookup: LookupFunction = (hostname, options, cb) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return cb(err, '', 0);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad || addresses.length === 0) return cb(refused(`${hostname} resolves to a non-public address`) as unknown as NodeJS.ErrnoException, '', 0);
    if ((options as { all?: boolean }).all) return (cb as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    cb(null, addresses[0].address, addresses[0].family);
  });
};

export async function fetchUrlGuarded(url: string, limits: ImageLimits, policy: UrlPolicy): Promise<Uint8Array> {
  const deadline = Date.now() + limits.urlTimeoutMs;
  let u = new URL(url);
  for (let hop = 0; ; hop++) {
    const { trusted } = checkUrl(u, policy);
    const res = await get(u, trusted, deadline, limits);
    if (res.kind === 'body') return res.bytes;
    if (hop >= MAX_REDIRECTS) throw errors.invalidImage(`image URL redirected more than ${MAX_REDIRECTS} times`);
    try {
      u = new URL(res.location, u);
    } catch {
      throw errors.invalidImage('image URL redirected to a malformed URL');
    }
  }
}

type Got = { kind: 'body'; bytes: Uint8Array } | { kind: 'redirect'; location: string };

function get(u: URL, trusted: boolean, deadline: number, limits: ImageLimits): Promise<Got> {
  return new Promise<Got>((resolve, reject) => {
    const left = deadline - Date.now();
    if (left <= 0) return reject(errors.invalidImage(`image URL did not answer within ${limits.urlTimeoutMs} ms`));
    let settled = false;
    const done = (e: unknown, v?: Got) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (e) reject(e);
      else resolve(v!);
    };
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.get(u, {
      headers: { accept: 'image/*', 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'platelens' },
      ...(trusted ? {} : { lookup: publicLookup }),
      agent: false,
    });
    const timer = setTimeout(
      () => done(errors.invalidImage(`image URL did not answer within ${limits.urlTimeoutMs} ms`)),
      left,
    );
    req.on('error', (e) => {
      if (e instanceof PlateLensError) return done(e);
      const code = (e as NodeJS.ErrnoException).code;
      done(errors.invalidImage(`image URL could not be fetched${code ? ` (${code})` : ''}`));
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        return done(null, { kind: 'redirect', location: res.headers.location });
      }
      if (status < 200 || status >= 300) {
        res.resume();
        return done(errors.invalidImage(`image URL answered HTTP ${status}`));
      }
      const enc = String(res.headers['content-encoding'] ?? 'identity').toLowerCase();
      const declared = Number(res.headers['content-length']);
      const tooBig = () => errors.tooLarge(`image URL body is larger than ${limits.maxUrlBytes} bytes`);
      if (enc === 'identity' && declared > limits.maxUrlBytes) return done(tooBig());
      let body: Readable = res;
      if (enc === 'gzip' || enc === 'x-gzip') body = res.pipe(zlib.createGunzip());
      else if (enc === 'deflate') body = res.pipe(zlib.createInflate());
      else if (enc === 'br') body = res.pipe(zlib.createBrotliDecompress());
      else if (enc !== 'identity') return done(errors.invalidImage(`image URL sent an unsupported content-encoding (${enc})`));
      const chunks: Buffer[] = [];
      let n = 0;
      body.on('data', (c: Buffer) => {
        n += c.length;
        if (n > limits.maxUrlBytes) {
          body.destroy();
          return done(tooBig());
        }
        chunks.push(c);
      });
      body.on('error', () => done(errors.invalidImage('image URL body could not be read (broken transfer or encoding)')));
      body.on('end', () => {
        const b = Buffer.concat(chunks, n);
        done(null, { kind: 'body', bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) });
      });
    });
  });
}
