import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Where a tenant's webhook must never reach: loopback, private, link-local, CGNAT, benchmark (Berth's
// own VPS network), multicast and reserved ranges. Otherwise a webhook is a request forgery tool
// against the panel's Redis, Postgres and agents.
const PRIVATE = new BlockList();
for (const [a, p] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) PRIVATE.addSubnet(a, p, 'ipv4');
for (const [a, p] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) PRIVATE.addSubnet(a, p, 'ipv6');

export const isPrivateAddress = (ip: string): boolean => {
  const v4 = ip.toLowerCase().startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  return PRIVATE.check(v4, isIP(v4) === 4 ? 'ipv4' : 'ipv6');
};

/** DNS lookup that refuses private answers: checked on the address actually connected to (no rebinding gap). */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(Object.assign(new Error(`refused: ${hostname} resolves to a private address (${bad.address})`), { code: 'EPRIVATE' }), '', 0);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

export type TPostResult = { status: number | null; error: string | null };
export type TPost = (url: string, body: string, headers: Record<string, string>) => Promise<TPostResult>;

/** POST a webhook body: no redirects followed, 10 s timeout, private destinations refused unless allowed. */
export const createWebhookPoster = ({ allowPrivate = false, timeoutMs = 10_000 } = {}): TPost => (url, body, headers) =>
  new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve({ status: null, error: 'invalid url' });
    }
    const literal = u.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivate && isIP(literal) && isPrivateAddress(literal)) return resolve({ status: null, error: `refused: ${literal} is a private address` });
    const req = (u.protocol === 'https:' ? https : http).request(u, {
      method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, timeout: timeoutMs,
      ...(allowPrivate ? {} : { lookup: guardedLookup }),
    }, (res) => {
      res.resume(); // the answer's body does not matter
      res.on('end', () => resolve({ status: res.statusCode ?? null, error: null }));
      res.on('error', (e) => resolve({ status: res.statusCode ?? null, error: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    // The socket timeout is per idle period: a receiver trickling bytes is cut off at twice the timeout overall,
    // well inside the 60 s claim lease, so no delivery is sent twice by a slow receiver.
    const deadline = setTimeout(() => req.destroy(new Error(`not finished within ${2 * timeoutMs} ms`)), 2 * timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('error', (e) => resolve({ status: null, error: e.message.slice(0, 300) }));
    req.end(body);
  });
