import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { loadEnv, ZWorkerEnv } from '@berth/config';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { createHostJobs, hostQueueName, jobOptions, redisConnection } from '@berth/jobs';
import { actOnServer } from '../servers/act-on-server.ts';
import { createFor, finish, makeWorld } from '../testing/fixtures.ts';
import { dispatchOutbox, type TPublish } from './dispatch-outbox.ts';
import { recoverStuckOperations } from './recover-stuck-operations.ts';

// Real Postgres and real BullMQ host queues (an agent is stood in for by a BullMQ Worker holding the job).
const { REDIS_URL } = loadEnv(ZWorkerEnv.pick({ REDIS_URL: true }));
const prefix = `t${randomBytes(4).toString('hex')}`;
const connection = redisConnection(REDIS_URL);
const jobs = createHostJobs(connection, prefix);
const queues = new Map<string, Queue>();
const publish: TPublish = async (hostId, name, payload, jobId) => {
  if (!queues.has(hostId)) queues.set(hostId, new Queue(hostQueueName(hostId), { connection, prefix }));
  await queues.get(hostId)!.add(name, payload, jobOptions(name, jobId));
};
const MIN = 60_000;

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
let w: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  t = await createTestDatabase();
  db = t.db;
  w = await makeWorld(db);
  await db.host.update({ where: { id: w.host.id }, data: { lastHeartbeatAt: new Date() } });
});
afterEach(async () => t.drop());
afterAll(async () => {
  await jobs.close();
  await Promise.all([...queues.values()].map((q) => q.close()));
  const redis = new Redis(REDIS_URL);
  for (let cursor = '0'; ;) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    if ((cursor = next) === '0') break;
  }
  await redis.quit();
});

/** A running server with a stop queued and sent to its host's queue. */
const stopSent = async () => {
  const { server, operation } = await createFor(db, w.principal, w.plan.id, w.template.id);
  await finish(db, { operationId: operation.id, serverId: server.id, hostId: w.host.id }, 'succeeded', { state: 'running' });
  const op = (await actOnServer({ db, principal: w.principal, serverId: server.id, action: { type: 'stop' } })).operation;
  await dispatchOutbox({ db, publish, limit: 10 });
  return { serverId: server.id, opId: op.id };
};
const opRow = (id: string) => db.operation.findUniqueOrThrow({ where: { id } });

it('fails what was sent to a host silent for too long, keeps the server as last known, takes the job back, and logs a late report', async () => {
  const { serverId, opId } = await stopSent();
  const lastSeen = (await db.host.findUniqueOrThrow({ where: { id: w.host.id } })).lastHeartbeatAt!;
  await db.host.update({ where: { id: w.host.id }, data: { status: 'offline' } });
  expect(await jobs.state(w.host.id, opId)).toBe('waiting');

  // Not yet: silent 10 minutes of 15.
  expect((await recoverStuckOperations({ db, jobs, now: new Date(Date.now() + 10 * MIN), stuckAfterMs: 15 * MIN })).failed).toEqual([]);
  const r = await recoverStuckOperations({ db, jobs, now: new Date(Date.now() + 16 * MIN), stuckAfterMs: 15 * MIN });
  expect(r.failed).toEqual([opId]);
  const op = await opRow(opId);
  expect(op).toMatchObject({ status: 'failed', abandonedAt: expect.any(Date) });
  expect(op.error).toBe(`host ${w.host.name} offline since ${lastSeen.toISOString()}; the operation was not confirmed`);
  expect((await db.server.findUniqueOrThrow({ where: { id: serverId } })).status).toBe('running'); // last known, not a guess
  expect(await jobs.state(w.host.id, opId)).toBe('absent'); // an agent coming back will not run it

  // The agent did run it after all (e.g. a partition): its report is recorded for an admin, not applied.
  const late = { operationId: opId, serverId, hostId: w.host.id };
  await finish(db, late, 'succeeded', { state: 'stopped' });
  await finish(db, late, 'succeeded', { state: 'stopped' }); // redelivered
  expect(await opRow(opId)).toMatchObject({ status: 'failed' });
  const audits = await db.auditEvent.findMany({ where: { action: 'operation.late_result', targetId: opId } });
  expect(audits).toHaveLength(1);
  expect(audits[0]!.data).toMatchObject({ outcome: 'succeeded', state: 'stopped' });
  // A second sweep finds nothing more to do.
  expect(await recoverStuckOperations({ db, jobs, now: new Date(Date.now() + 30 * MIN), stuckAfterMs: 15 * MIN })).toEqual({ failed: [], resent: [] });
});

it('leaves an operation a live agent holds, even when its host looks offline', async () => {
  const { opId } = await stopSent();
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const agent = new Worker(hostQueueName(w.host.id), () => held, { connection, prefix });
  try {
    for (let i = 0; i < 100 && (await jobs.state(w.host.id, opId)) !== 'active'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await jobs.state(w.host.id, opId)).toBe('active');
    await db.host.update({ where: { id: w.host.id }, data: { status: 'offline' } });
    const r = await recoverStuckOperations({ db, jobs, now: new Date(Date.now() + 16 * MIN), stuckAfterMs: 15 * MIN });
    expect(r.failed).toEqual([]);
    expect((await opRow(opId)).status).toBe('queued');
  } finally {
    release();
    await agent.close();
  }
});

it('on a live host: re-sends a never-started operation whose job was lost, fails a started one nobody reports on, leaves one waiting its turn', async () => {
  const waiting = await stopSent();
  const lostBeforeStart = await stopSent();
  const lostAfterStart = await stopSent();
  await jobs.remove(w.host.id, lostBeforeStart.opId); // Redis lost them (AOF everysec)
  await jobs.remove(w.host.id, lostAfterStart.opId);
  await db.operation.update({ where: { id: lostAfterStart.opId }, data: { status: 'running', startedAt: new Date(), progressAt: new Date() } });
  const now = new Date(Date.now() + 10 * MIN); // > stop's 3 min timeout + 2 min margin
  await db.host.update({ where: { id: w.host.id }, data: { lastHeartbeatAt: now } });
  // Within the job's timeout + margin nothing is touched.
  expect(await recoverStuckOperations({ db, jobs, now: new Date(Date.now() + 4 * MIN), stuckAfterMs: 15 * MIN })).toEqual({ failed: [], resent: [] });

  const r = await recoverStuckOperations({ db, jobs, now, stuckAfterMs: 15 * MIN });
  expect(r).toEqual({ failed: [lostAfterStart.opId], resent: [lostBeforeStart.opId] });
  expect((await opRow(waiting.opId)).status).toBe('queued');
  expect(await opRow(lostBeforeStart.opId)).toMatchObject({ status: 'queued', dispatchedAt: null });
  const failed = await opRow(lostAfterStart.opId);
  expect(failed.error).toMatch(new RegExp(`^no report from host ${w.host.name}'s agent for \\d+ min \\(its job is absent\\); the operation was not confirmed$`));
  expect((await db.server.findUniqueOrThrow({ where: { id: lostAfterStart.serverId } })).status).toBe('running');
  // The outbox sends the lost one again, under the same jobId.
  await dispatchOutbox({ db, publish, limit: 10 });
  expect(await jobs.state(w.host.id, lostBeforeStart.opId)).toBe('waiting');
});

it('a create that was never confirmed leaves its server in error (it may have half-happened)', async () => {
  const { server, operation } = await createFor(db, w.principal, w.plan.id, w.template.id);
  await dispatchOutbox({ db, publish, limit: 10 });
  const r = await recoverStuckOperations({ db, jobs, now: new Date(Date.now() + 16 * MIN), stuckAfterMs: 15 * MIN });
  expect(r.failed).toEqual([operation.id]);
  expect((await db.server.findUniqueOrThrow({ where: { id: server.id } })).status).toBe('error');
});
