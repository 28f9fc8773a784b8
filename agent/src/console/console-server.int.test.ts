// The console server's rules with real Redis, a real websocket and a real pty (a plain shell stands in for
// lxc-attach): tickets must be renewed to stay connected, access revocations close at once, input is capped.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { loadEnv, ZAgentEnv } from '@berth/config';
import { accessRevokedChannel } from '@berth/jobs';
import { signConsoleToken } from '../../../packages/core/src/console/sign-console-token.ts';
import { startConsoleServer } from './console-server.ts';

const env = loadEnv(ZAgentEnv.pick({ REDIS_URL: true }));
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const priv = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
const HOST = 'host_consoletest01';
const SID = 'srv_consoletest0000001';
const prefix = `ct${process.pid}`;
let server: Awaited<ReturnType<typeof startConsoleServer>>;

const ticket = (uid: string, ttlS: number) => signConsoleToken(priv, { sid: SID, hid: HOST, uid, exp: Math.floor(Date.now() / 1000) + ttlS });
const connect = (token: string) => new Promise<{ ws: WebSocket; out: () => string; closed: Promise<number> }>((resolve, reject) => {
  const ws = new WebSocket(`${server.url}?token=${encodeURIComponent(token)}`);
  let out = '';
  ws.on('message', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  ws.on('open', () => resolve({ ws, out: () => out, closed }));
  ws.on('error', reject);
});
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  server = await startConsoleServer({
    hostId: HOST, lxcPath: '/nonexistent', verifyKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    listenHost: '127.0.0.1', port: 0, publicHost: '127.0.0.1', redisUrl: env.REDIS_URL, prefix,
    isRunning: async (id) => id === SID, command: () => ['/bin/sh'], log: () => {},
  });
});
afterAll(async () => server?.close());

it('closes a session whose ticket is not renewed, and keeps one that is', async () => {
  const lapsed = await connect(ticket('usr_consoleuser01', 1));
  const kept = await connect(ticket('usr_consoleuser01', 1));
  const renew = setInterval(() => kept.ws.send(JSON.stringify({ type: 'renew', token: ticket('usr_consoleuser01', 2) })), 1000);
  try {
    expect(await Promise.race([lapsed.closed, settle(12_000).then(() => -1)])).toBe(4001); // exp + 5 s grace
    kept.ws.send(Buffer.from('echo alive-$((40+2))\n'));
    await settle(500);
    expect(kept.out()).toContain('alive-42');
    expect(kept.ws.readyState).toBe(WebSocket.OPEN);
    // Someone else's ticket cannot renew this session.
    kept.ws.send(JSON.stringify({ type: 'renew', token: ticket('usr_otheruser0001', 60) }));
  } finally {
    clearInterval(renew);
    kept.ws.close();
  }
}, 30_000);

it('closes the user\'s consoles at once when access is revoked, except on servers it keeps', async () => {
  const pub = new Redis(env.REDIS_URL);
  try {
    const a = await connect(ticket('usr_revokeduser01', 60));
    const b = await connect(ticket('usr_keptuser00001', 60));
    await pub.publish(accessRevokedChannel(prefix), JSON.stringify({ userId: 'usr_keptuser00001', keep: [SID] }));
    await pub.publish(accessRevokedChannel(prefix), JSON.stringify({ userId: 'usr_revokeduser01', keep: [] }));
    expect(await Promise.race([a.closed, settle(5_000).then(() => -1)])).toBe(4003);
    await settle(300);
    expect(b.ws.readyState).toBe(WebSocket.OPEN);
    b.ws.close();
  } finally {
    pub.disconnect();
  }
});

it('caps input at typing speed: a pasted megabyte does not reach the shell, an oversized frame ends the session', async () => {
  const c = await connect(ticket('usr_pasteuser0001', 60));
  for (let i = 0; i < 16; i++) c.ws.send(Buffer.from('x'.repeat(60 * 1024))); // 960 KiB: past the 64 KiB burst, dropped
  c.ws.send(Buffer.from('\necho after-paste\n'));
  await settle(1000);
  expect(c.out()).toContain('after-paste');
  expect(c.out().length).toBeLessThan(200 * 1024);
  c.ws.close();

  const big = await connect(ticket('usr_pasteuser0002', 60));
  big.ws.on('error', () => {}); // the server's close is the expected outcome
  big.ws.send(Buffer.from('y'.repeat(128 * 1024)));
  expect(await Promise.race([big.closed, settle(3_000).then(() => -1)])).toBe(1009);
});

it('refuses a server that is not running and a ticket used twice', async () => {
  const t = ticket('usr_twiceuser0001', 60);
  const first = await connect(t);
  expect(await Promise.race([(await connect(t)).closed, settle(3_000).then(() => -1)])).toBe(4001);
  first.ws.close();
});
