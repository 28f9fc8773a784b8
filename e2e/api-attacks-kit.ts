// Small tools of the API attack suite: raw HTTP (no URL normalisation), console websockets, verdict helpers.
import { request } from 'node:http';
import WebSocket from 'ws';

/** ATTACK_ROUNDS scales the counted attacks: 1 in CI (npm test), more under `npm run attack`. */
export const ROUNDS = Math.max(1, Number(process.env.ATTACK_ROUNDS ?? 1) || 1);

export type TRes = { status: number; type: string; body: any; text: string; headers: Record<string, unknown> };

/** One HTTP request with the path sent byte for byte (fetch would resolve `..` and `%2e%2e` first). */
export const rawHttp = (baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer) =>
  new Promise<TRes>((resolve, reject) => {
    const u = new URL(baseUrl);
    const req = request({ host: u.hostname, port: u.port, method, path, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: parsed, text, headers: res.headers });
      });
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });

/** "404 not_found" (status and the problem's code) for an observed-column. */
export const sc = (r: { status: number; body: any }) => `${r.status}${r.body && typeof r.body === 'object' && r.body.code ? ` ${r.body.code}` : ''}`;
export const isProblem = (r: { type?: string; headers?: Headers }) =>
  (r.type ?? r.headers?.get('content-type') ?? '').includes('application/problem+json');

/** A made-up id of the same kind and length as `id` (what an attacker guessing ids would send). */
export const lookalike = (id: string, n = 0) => {
  const [prefix, rest] = [id.slice(0, id.indexOf('_') + 1), id.slice(id.indexOf('_') + 1)];
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  let out = '';
  for (let i = 0; i < rest.length; i++) out += alphabet[(alphabet.indexOf(rest[i]!) + 7 + n * 13 + i) % alphabet.length];
  return prefix + out;
};

/** Open a console websocket with a ticket: how it ended (close code), or 'open' if admitted and still open after 1.5 s. */
export const tryConsole = (url: string, token: string) =>
  new Promise<string>((resolve) => {
    const ws = new WebSocket(`${url}?token=${encodeURIComponent(token)}&cols=80&rows=24`);
    let opened = false;
    const timer = setTimeout(() => {
      resolve(opened ? 'admitted (session open)' : 'no answer');
      ws.terminate();
    }, 1500);
    ws.on('open', () => (opened = true));
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve(`closed ${code}`);
    });
    ws.on('error', () => {
      clearTimeout(timer);
      resolve('error');
    });
  });
