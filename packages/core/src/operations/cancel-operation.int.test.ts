import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadEnv, ZWorkerEnv } from '@berth/config';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { createHostJobs, hostQueueName, jobOptions, redisConnection } from '@berth/jobs';
import { actOnServer } from '../servers/act-on-server.ts';
import { createFor, expectAppError, finish, makePrincipal, makeWorld } from '../testing/fixtures.ts';
import { cancelOperation } from './cancel-operation.ts';
import { dispatchOutbox, type TPublish } from './dispatch-outbox.ts';

// Real Postgres and real BullMQ host queues; an agent is stood in for by a BullMQ Worker holding a job.
const { REDIS_URL } = loadEnv(ZWorkerEnv.pick({ REDIS_URL: true }));
const prefix = `t${randomBytes(4).toString('hex')}`;
const connection = redisConnection(REDIS_URL);
const jobs = createHostJobs(connection, prefix);
const queues = new Map<string, Queue>();
const publish: TPublish = async (hostId, name, payload, jobId) => {
  if (!queues.has(hostId)) queues.set(hostId, new Queue(hostQueueName(hostId), { connection, prefix }));
  await queues.get(hostId)!.add(name, payload, jobOptions(name, jobId));
};

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
let w: Awaited<ReturnType<typeof makeWorld>>;
let admin: Awaited<ReturnType<typeof makePrincipal>>;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  w = await makeWorld(db);
  admin = await makePrincipal(db, { role: 'admin', scopes: ['admin:*'] });
});
afterAll(async () => {
  await t?.drop();
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

const runningServer = async () => {
  const { server, operation } = await createFor(db, w.principal, w.plan.id, w.template.id);
  await finish(db, { operationId: operation.id, serverId: server.id, hostId: w.host.id }, 'succeeded', { state: 'running' });
  return server.id;
};
const stop = async (serverId: string) => (await actOnServer({ db, principal: w.principal, serverId, action: { type: 'stop' } })).operation.id;

it('cancels a queued operation not yet sent: failed as cancelled by the admin, server as it was, audited', async () => {
  const serverId = await runningServer();
  const opId = await stop(serverId);
  await expectAppError(cancelOperation({ db, principal: w.principal, operationId: opId, jobs }), 'forbidden');
  const { operation } = await cancelOperation({ db, principal: admin, operationId: opId, jobs });
  const email = (await db.user.findUniqueOrThrow({ where: { id: admin.userId } })).email;
  expect(operation).toMatchObject({ id: opId, status: 'failed', error: `cancelled by ${email}` });
  expect((await db.server.findUniqueOrThrow({ where: { id: serverId } })).status).toBe('running');
  expect(await db.auditEvent.count({ where: { action: 'operation.cancel', targetId: opId, actorId: admin.userId } })).toBe(1);
  // Nothing left for the outbox to send; a second cancel is refused.
  await dispatchOutbox({ db, publish, limit: 10 });
  expect(await jobs.state(w.host.id, opId)).toBe('absent');
  await expectAppError(cancelOperation({ db, principal: admin, operationId: opId, jobs }), 'invalid_state');
});

it('takes a sent, waiting job off its host queue; refuses one an agent already holds', async () => {
  const waiting = await stop(await runningServer());
  await dispatchOutbox({ db, publish, limit: 10 });
  expect(await jobs.state(w.host.id, waiting)).toBe('waiting');
  await cancelOperation({ db, principal: admin, operationId: waiting, jobs });
  expect(await jobs.state(w.host.id, waiting)).toBe('absent');

  const held = await stop(await runningServer());
  await dispatchOutbox({ db, publish, limit: 10 });
  let release!: () => void;
  const agent = new Worker(hostQueueName(w.host.id), () => new Promise<void>((r) => (release = r)), { connection, prefix });
  try {
    for (let i = 0; i < 100 && (await jobs.state(w.host.id, held)) !== 'active'; i++) await new Promise((r) => setTimeout(r, 50));
    const err = await expectAppError(cancelOperation({ db, principal: admin, operationId: held, jobs }), 'invalid_state');
    expect(err.message).toMatch(/started on its host/);
    expect((await db.operation.findUniqueOrThrow({ where: { id: held } })).status).toBe('queued');
  } finally {
    release?.();
    await agent.close();
  }
  // A running (reported) operation is not cancellable either.
  const running = await stop(await runningServer());
  await db.operation.update({ where: { id: running }, data: { status: 'running' } });
  await expectAppError(cancelOperation({ db, principal: admin, operationId: running, jobs }), 'invalid_state');
  await expectAppError(cancelOperation({ db, principal: admin, operationId: 'op_doesnotexist1', jobs }), 'not_found');
});

it('a cancelled create leaves its server in error, like a failed one (an admin retries or deletes it)', async () => {
  const { operation } = await createFor(db, w.principal, w.plan.id, w.template.id);
  const res = await cancelOperation({ db, principal: admin, operationId: operation.id, jobs });
  expect(res.operation.status).toBe('failed');
  expect((await db.server.findUniqueOrThrow({ where: { id: operation.serverId! } })).status).toBe('error');
});
