// The worker consumes each host's own events queue (hosts added later too) and refuses an event that names
// another host. Agents publish with their host's Redis user, as in production. Real Postgres and Redis.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadEnv, ZWorkerEnv } from '@berth/config';
import { deleteHostRedisUser, ensureHostRedisUser } from '@berth/core';
import { createTestDatabase } from '@berth/db/testing';
import { hostEventsQueueName, jobOptions, redisConnection } from '@berth/jobs';
import { makeHost } from '../../../prisma/seed/factories.ts';
import { startAgentEventsConsumer } from './agent-events.ts';

const env = loadEnv(ZWorkerEnv.pick({ REDIS_URL: true }));
const prefix = `t${randomBytes(4).toString('hex')}`;
let t: Awaited<ReturnType<typeof createTestDatabase>>;
let admin: Redis;
const hostIds: string[] = [];
const queues: Queue[] = [];

/** The events queue as the host's agent opens it: with its own Redis user. */
const agentQueue = async (hostId: string) => {
  hostIds.push(hostId);
  const { url } = await ensureHostRedisUser({ redis: admin, url: env.REDIS_URL, prefix, hostId, persist: false });
  const q = new Queue(hostEventsQueueName(hostId), { connection: redisConnection(url), prefix });
  queues.push(q);
  return q;
};
// Each heartbeat names its own version, so the test can tell which one a host row took (the time is the panel's).
const heartbeat = (hostId: string, version: string) => ({ hostId, at: new Date().toISOString(), agentVersion: version, containers: 0 });
const waitFor = async <T>(what: string, f: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> => {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    const v = await f();
    if (v) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
};

beforeAll(async () => {
  t = await createTestDatabase();
  admin = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  await Promise.all(queues.map((q) => q.close()));
  for (const h of hostIds) await deleteHostRedisUser({ redis: admin, prefix, hostId: h, persist: false });
  const keys = await admin.keys(`${prefix}:*`);
  if (keys.length) await admin.del(...keys);
  await admin.quit();
  await t?.drop();
});

it("consumes every host's events queue, picks up new hosts, and rejects an event naming another host", async () => {
  const [a, b] = [await makeHost(t.db, { cidr: '198.18.1.0/28' }), await makeHost(t.db, { cidr: '198.18.2.0/28' })];
  const logs: string[] = [];
  const consumer = startAgentEventsConsumer({ db: t.db, connection: redisConnection(env.REDIS_URL), prefix, log: (m) => logs.push(m), refreshMs: 300 });
  try {
    expect((await consumer.hosts()).sort()).toEqual([a.id, b.id].sort());
    const [qa, qb] = [await agentQueue(a.id), await agentQueue(b.id)];
    await qa.add('host.heartbeat@1', heartbeat(a.id, '1.0.a'), jobOptions('host.heartbeat@1'));
    await qb.add('host.heartbeat@1', heartbeat(b.id, '1.0.b'), jobOptions('host.heartbeat@1'));
    const seen = (id: string, version: string) => waitFor(`${id}'s heartbeat`, async () => (await t.db.host.findUnique({ where: { id } }))?.agentVersion === version);
    await Promise.all([seen(a.id, '1.0.a'), seen(b.id, '1.0.b')]);

    // Host A's agent (its own queue, its own user) claims to be B: rejected once, never retried, B untouched.
    const forged = await qa.add('host.heartbeat@1', heartbeat(b.id, 'forged'), { ...jobOptions('host.heartbeat@1'), attempts: 5 });
    const failed = await waitFor('the forged event to fail', async () => (await qa.getJobState(forged.id!)) === 'failed' && qa.getJob(forged.id!));
    expect(failed!.failedReason).toMatch(`event for host ${b.id} on the events queue of ${a.id}`);
    expect(failed!.attemptsMade).toBe(1);
    expect((await t.db.host.findUniqueOrThrow({ where: { id: b.id } })).agentVersion).toBe('1.0.b');
    expect(logs.some((l) => l.includes(`rejected host.heartbeat@1 on ${hostEventsQueueName(a.id)}: it claims host ${b.id}`))).toBe(true);

    // A host added while the worker runs: its events are consumed at the next refresh, no restart.
    const c = await makeHost(t.db, { cidr: '198.18.3.0/28' });
    const qc = await agentQueue(c.id);
    await qc.add('host.heartbeat@1', heartbeat(c.id, '1.0.c'), jobOptions('host.heartbeat@1'));
    await seen(c.id, '1.0.c');
    expect(await consumer.hosts()).toContain(c.id);
  } finally {
    await consumer.close();
  }
});
