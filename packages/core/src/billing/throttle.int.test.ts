// Throttle plans: when the hourly rollup finds the month's allowance used up, the next billing tick sends
// the cap to the agent (a network operation whose job carries it); after the month it is lifted again.
// A fixed clock throughout: the rollup, the tick and the job builder all take `now`.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@berth/db/testing';
import { recordMetrics } from '../metrics/record-metrics.ts';
import { rollupMetrics } from '../metrics/rollup-metrics.ts';
import { buildServerJob } from '../operations/build-server-job.ts';
import { createFor, finish, makePlan, makeWorld } from '../testing/fixtures.ts';
import { syncThrottles } from './sync-throttles.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

it('caps a throttle plan\'s VPS once its allowance is used up, and lifts the cap when the month is over', async () => {
  const { db } = t;
  const w = await makeWorld(db, { cidr: '198.18.50.0/24' });
  const plan = await makePlan(db);
  await db.plan.update({ where: { id: plan.id }, data: { transferGb: 1, overageAction: 'throttle', throttleMbit: 20 } });
  const { server, operation } = await createFor(db, w.principal, plan.id, w.template.id);
  await finish(db, { operationId: operation.id, serverId: server.id, hostId: w.host.id }, 'succeeded', { state: 'running' });
  const lastOp = () => db.operation.findFirstOrThrow({ where: { serverId: server.id }, orderBy: { createdAt: 'desc' } });

  // 0.6 GB in the 10:00 hour, 0.6 GB more in the 11:00 hour of a fixed day.
  const at = (iso: string) => new Date(`2035-03-10T${iso}Z`);
  const sample = (when: Date, bytes: number) => recordMetrics({ db, event: { hostId: w.host.id, at: when.toISOString(), samples: [{ serverId: server.id, cpuNs: 0, memoryBytes: 0, diskUsedBytes: 0, ioReadBytes: 0, ioWriteBytes: 0, netRxBytes: bytes, netTxBytes: 0 }] } });
  await sample(at('10:00:00'), 0);
  await sample(at('10:59:00'), 0.6e9);
  await rollupMetrics({ db, now: at('11:10:00') });
  expect(await syncThrottles({ db, now: at('11:11:00') })).toEqual({ capped: 0, released: 0 }); // 0.6 GB of 1: fine
  await sample(at('11:59:00'), 1.2e9);
  await rollupMetrics({ db, now: at('12:10:00') });
  const now = at('12:11:00');
  expect(await syncThrottles({ db, now })).toEqual({ capped: 1, released: 0 });
  expect(await syncThrottles({ db, now })).toEqual({ capped: 0, released: 0 }); // sent once
  const cap = await lastOp();
  expect(cap).toMatchObject({ type: 'network', status: 'queued' });
  expect((await buildServerJob({ db, operationId: cap.id, now }))!.spec.network.rateMbit).toBe(20);
  // Any later job this month (e.g. a start) carries the cap too.
  expect((await buildServerJob({ db, operationId: operation.id, now }))!.spec.network.rateMbit).toBe(20);
  await finish(db, { operationId: cap.id, serverId: server.id, hostId: cap.hostId }, 'succeeded', { state: 'running' });

  // Next month: lifted; the job the agent gets carries no cap.
  const nextMonth = new Date('2035-04-01T00:30:00Z');
  expect(await syncThrottles({ db, now: nextMonth })).toEqual({ capped: 0, released: 1 });
  const lift = await lastOp();
  expect(lift).toMatchObject({ type: 'network', status: 'queued' });
  expect(lift.id).not.toBe(cap.id);
  expect((await buildServerJob({ db, operationId: lift.id, now: nextMonth }))!.spec.network.rateMbit).toBeNull();
});
