// A host's Redis user against the real Redis: it runs its own queues as the agent does (BullMQ) and nothing
// else — not another host's queues, not the keyspace, not the panel's keys, not the server's admin commands.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, ZWorkerEnv } from '@berth/config';
import { newId } from '@berth/contracts';
import { accessRevokedChannel, hostEventsQueueName, hostQueueName, jobOptions, redisConnection } from '@berth/jobs';
import { deleteHostRedisUser } from './delete-host-redis-user.ts';
import { ensureHostRedisUser } from './ensure-host-redis-user.ts';
import { hostRedisAcl } from './host-redis-acl.ts';

const env = loadEnv(ZWorkerEnv.pick({ REDIS_URL: true }));
const prefix = `t${randomBytes(4).toString('hex')}`;
const A = newId('host');
const B = newId('host');
const C = `${A}z`; // A's id plus one character: A's patterns must not reach it
const NOKEY = /^NOPERM .*(keys|key)/;
const NOCMD = (cmd: string) => new RegExp(`^NOPERM .*'${cmd}' command`);

let admin: Redis;
let urlA = '';
const opened: Redis[] = [];
const as = (url: string) => {
  const r = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  r.on('error', () => {}); // asserted through the commands' own errors
  opened.push(r);
  return r;
};
const noperm = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (err: Error) => err);
  expect(e, 'expected a NOPERM error').toBeInstanceOf(Error);
  return e!.message;
};

beforeAll(async () => {
  admin = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
  urlA = (await ensureHostRedisUser({ redis: admin, url: env.REDIS_URL, prefix, hostId: A, persist: false })).url;
  await ensureHostRedisUser({ redis: admin, url: env.REDIS_URL, prefix, hostId: B, persist: false });
  await ensureHostRedisUser({ redis: admin, url: env.REDIS_URL, prefix, hostId: C, persist: false });
});
afterAll(async () => {
  opened.forEach((r) => r.disconnect());
  for (const h of [A, B, C]) await deleteHostRedisUser({ redis: admin, prefix, hostId: h, persist: false });
  const keys = await admin.keys(`${prefix}:*`);
  if (keys.length) await admin.del(...keys);
  await admin.quit();
});

describe('a host Redis user', () => {
  it('consumes a job from its own queue and reports on its own events queue, through BullMQ as the agent does', async () => {
    const adminQueue = new Queue(hostQueueName(A), { connection: redisConnection(env.REDIS_URL), prefix });
    const job = { operationId: newId('operation'), hostId: A };
    await adminQueue.add('server.start@1', job, jobOptions('server.start@1', job.operationId));
    const connection = redisConnection(urlA);
    const events = new Queue(hostEventsQueueName(A), { connection, prefix });
    const done = new Promise<unknown>((resolve, reject) => {
      const worker = new Worker(hostQueueName(A), async (j) => {
        await events.add('operation.progress@1', { operationId: j.data.operationId, hostId: A, step: 'x', progress: 50, attempt: 1 });
        resolve(j.data);
      }, { connection, prefix });
      worker.on('error', reject);
      worker.on('failed', (_j, e) => reject(e));
      opened.push({ disconnect: () => void worker.close() } as unknown as Redis);
    });
    expect(await done).toEqual(job);
    const adminEvents = new Queue(hostEventsQueueName(A), { connection: redisConnection(env.REDIS_URL), prefix });
    const [reported] = await adminEvents.getJobs(['waiting']);
    expect(reported?.data).toMatchObject({ operationId: job.operationId, hostId: A });
    await Promise.all([adminQueue.close(), adminEvents.close(), events.close()]);
  });

  it("cannot read or write another host's queues, even one whose id starts with its own", async () => {
    await admin.hset(`${prefix}:${hostQueueName(B)}:op_secret`, 'data', '{}');
    const a = as(urlA);
    for (const h of [B, C]) {
      expect(await noperm(a.hgetall(`${prefix}:${hostQueueName(h)}:op_secret`))).toMatch(NOKEY);
      expect(await noperm(a.lrange(`${prefix}:${hostQueueName(h)}:wait`, 0, -1))).toMatch(NOKEY);
      expect(await noperm(a.del(`${prefix}:${hostEventsQueueName(h)}:events`))).toMatch(NOKEY);
    }
    // Lua runs with the caller's rights: a script cannot reach what the user cannot.
    expect(await noperm(a.eval(`return redis.call('HGETALL', KEYS[1])`, 1, `${prefix}:${hostQueueName(B)}:op_secret`))).toMatch(/NOPERM/);
    expect(await noperm(a.eval(`return redis.call('HGETALL', ARGV[1])`, 0, `${prefix}:${hostQueueName(B)}:op_secret`))).toMatch(/user executing the script can't access/);
    for (const name of [hostQueueName(B), hostEventsQueueName(B), hostEventsQueueName(C)]) {
      const q = new Queue(name, { connection: redisConnection(urlA), prefix });
      expect(await noperm(q.add('host.heartbeat@1', { hostId: B }))).toMatch(/NOPERM/);
      await q.close();
    }
    expect(await admin.exists(`${prefix}:${hostEventsQueueName(B)}:wait`, `${prefix}:${hostQueueName(B)}:1`)).toBe(0);
  });

  it("cannot list the keyspace, run admin commands or touch the panel's keys", async () => {
    const a = as(urlA);
    expect(await noperm(a.keys('*'))).toMatch(NOCMD('keys'));
    expect(await noperm(a.scan('0'))).toMatch(NOCMD('scan'));
    expect(await noperm(a.randomkey())).toMatch(NOCMD('randomkey'));
    expect(await noperm(a.dbsize())).toMatch(NOCMD('dbsize'));
    expect(await noperm(a.flushall())).toMatch(NOCMD('flushall'));
    expect(await noperm(a.flushdb())).toMatch(NOCMD('flushdb'));
    expect(await noperm(a.config('GET', '*'))).toMatch(NOCMD('config\\|get'));
    expect(await noperm(a.call('ACL', 'LIST'))).toMatch(NOCMD('acl\\|list'));
    expect(await noperm(a.call('ACL', 'SETUSER', hostRedisAcl({ prefix, hostId: A }).username, '~*'))).toMatch(NOCMD('acl\\|setuser'));
    expect(await noperm(a.call('CLIENT', 'LIST'))).toMatch(NOCMD('client\\|list'));
    expect(await noperm(a.call('SCRIPT', 'FLUSH'))).toMatch(NOCMD('script\\|flush'));
    expect(await noperm(a.call('FUNCTION', 'FLUSH'))).toMatch(NOCMD('function\\|flush'));
    expect(await noperm(a.call('SHUTDOWN'))).toMatch(NOCMD('shutdown'));
    expect(await noperm(a.call('BGSAVE'))).toMatch(NOCMD('bgsave'));
    expect(await noperm(a.call('SWAPDB', '0', '1'))).toMatch(NOCMD('swapdb'));
    // The panel's rate limiter and other prefixes' keys.
    expect(await noperm(a.get(`${prefix}:ratelimit:key:abc`))).toMatch(NOKEY);
    expect(await noperm(a.set(`${prefix}:ratelimit:key:abc`, '0'))).toMatch(NOKEY);
    expect(await noperm(a.get(`berth:${hostQueueName(A)}:meta`))).toMatch(NOKEY);
  });

  it('listens to the access revocation channel, and to nothing else; publishes nowhere', async () => {
    const a = as(urlA);
    expect(await a.subscribe(accessRevokedChannel(prefix))).toBe(1);
    expect(await noperm(as(urlA).subscribe(`${prefix}:other`))).toMatch(/NOPERM .*channel/);
    expect(await noperm(as(urlA).publish(accessRevokedChannel(prefix), '{}'))).toMatch(NOCMD('publish'));
  });

  it('rotates: a fresh password ends the old one and its open connections', async () => {
    const oldUrl = (await ensureHostRedisUser({ redis: admin, url: env.REDIS_URL, prefix, hostId: B, persist: false })).url;
    const old = as(oldUrl);
    expect(await old.ping()).toBe('PONG');
    const { url } = await ensureHostRedisUser({ redis: admin, url: env.REDIS_URL, prefix, hostId: B, persist: false });
    expect(await noperm(as(oldUrl).ping())).toMatch(/WRONGPASS/);
    await new Promise((r) => setTimeout(r, 100));
    expect(old.status).not.toBe('ready');
    expect(await as(url).ping()).toBe('PONG');
  });

  it('refuses ids and prefixes that could widen its patterns', () => {
    expect(() => hostRedisAcl({ prefix, hostId: 'host_*' })).toThrow(/not a host id/);
    expect(() => hostRedisAcl({ prefix: 'a:b', hostId: A })).toThrow(/not a queue prefix/);
    expect(hostRedisAcl({ prefix, hostId: A }).rules.filter((r) => r.startsWith('~'))).toEqual([
      `~${prefix}:host-${A}:*`, `~${prefix}:host-${A}-events:*`,
    ]);
  });
});

describe('persistence', () => {
  let dir = '';
  let server: ChildProcess | undefined;
  let port = 0;
  const start = async (aclfile: boolean) => {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...(aclfile ? ['--aclfile', path.join(dir, 'users.acl')] : [])], { stdio: 'ignore' });
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {}); // refused until the server listens
    for (let i = 0; i < 100; i++) if (await probe.connect().then(() => true, () => false)) break; else await new Promise((r) => setTimeout(r, 50));
    return probe;
  };
  const stop = () => new Promise<void>((resolve) => (server!.once('exit', () => resolve()), server!.kill('SIGTERM')));
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'berth-acl-'));
    await writeFile(path.join(dir, 'users.acl'), '');
    port = await new Promise<number>((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); }); });
  });
  afterAll(async () => {
    if (server && server.exitCode === null) await stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('saves the user to the ACL file, so it survives a Redis restart', async () => {
    let r = await start(true);
    const { url, persisted } = await ensureHostRedisUser({ redis: r, url: `redis://127.0.0.1:${port}/0`, prefix, hostId: A });
    expect(persisted).toBe(true);
    r.disconnect();
    await stop();
    r = await start(true);
    const a = new Redis(url, { maxRetriesPerRequest: 1 });
    expect(await a.set(`${prefix}:${hostQueueName(A)}:x`, '1')).toBe('OK');
    expect(await noperm(a.set(`${prefix}:${hostQueueName(B)}:x`, '1'))).toMatch(NOKEY);
    a.disconnect();
    expect(await deleteHostRedisUser({ redis: r, prefix, hostId: A })).toBe(true);
    r.disconnect();
    await stop();
  });

  it('says so when Redis has no ACL file', async () => {
    const r = await start(false);
    expect((await ensureHostRedisUser({ redis: r, url: `redis://127.0.0.1:${port}/0`, prefix, hostId: A })).persisted).toBe(false);
    r.disconnect();
    await stop();
  });
});
