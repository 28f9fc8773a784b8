// Redis down -> operations wait in Postgres; Redis back -> they go out, once. Uses a private real redis-server.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { createServer } from '@berth/core';
import { createTestDatabase } from '@berth/db/testing';
import { hostQueueName, redisConnection } from '@berth/jobs';
import { makeHost, makePlan, makePrincipal, makeTemplate } from '../../../prisma/seed/factories.ts';
import { createHostQueues } from './host-queues.ts';
import { startOutboxDispatcher } from './outbox.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: ChildProcess | undefined;
let port = 0;

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(p));
  });
});

beforeAll(async () => {
  t = await createTestDatabase();
  port = await freePort();
});
afterAll(async () => {
  redis?.kill('SIGKILL');
  await t?.drop();
});

it('holds operations while Redis is down and sends each exactly once when it is back', async () => {
  const host = await makeHost(t.db);
  const [plan, template, principal] = await Promise.all([makePlan(t.db), makeTemplate(t.db), makePrincipal(t.db)]);
  const created = await Promise.all(['a', 'b', 'c'].map((h) =>
    createServer({ db: t.db, principal, input: { hostname: h, planId: plan.id, templateId: template.id } })));

  const connection = { ...redisConnection(`redis://127.0.0.1:${port}/0`), retryStrategy: () => 100 };
  const queues = createHostQueues(connection, 'outboxtest');
  const outbox = await startOutboxDispatcher({ db: t.db, databaseUrl: t.url, publish: queues.publish, sweepMs: 200, batch: 10, log: () => {} });

  await new Promise((r) => setTimeout(r, 1500));
  const waiting = await t.db.operation.count({ where: { dispatchedAt: null, status: 'queued' } });
  expect(waiting).toBe(3);

  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const until = Date.now() + 20_000;
  while (Date.now() < until && (await t.db.operation.count({ where: { dispatchedAt: null } })) > 0) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(await t.db.operation.count({ where: { dispatchedAt: null } })).toBe(0);

  const q = new Queue(hostQueueName(host.id), { connection, prefix: 'outboxtest' });
  const jobs = await q.getJobs(['waiting', 'prioritized', 'delayed']);
  expect(jobs.map((j) => j.id).sort()).toEqual(created.map((c) => c.operation.id).sort());
  expect(jobs.every((j) => j.name === 'server.create@1')).toBe(true);
  await q.close();
  await outbox.close();
  await queues.close();
});
