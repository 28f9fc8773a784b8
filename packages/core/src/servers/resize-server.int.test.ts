import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@berth/db/testing';
import { buildServerJob } from '../operations/build-server-job.ts';
import { actOnServer } from './act-on-server.ts';
import { resizeServer } from './resize-server.ts';
import { createFor, expectAppError, finish, hostCounters, makePlan, makeWorld } from '../testing/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

it('reserves the growth, sends the new limits, and moves the plan only when the agent confirms', async () => {
  const { db } = t;
  const w = await makeWorld(db, { memoryMb: 4096, diskGb: 100 });
  const small = await makePlan(db, { memoryMb: 512, diskGb: 5, cpuCores: 0.5 });
  const big = await makePlan(db, { memoryMb: 2048, diskGb: 20, cpuCores: 2 });
  const huge = await makePlan(db, { memoryMb: 8192, diskGb: 20 });
  const tinyDisk = await makePlan(db, { memoryMb: 256, diskGb: 1 });
  const { server, operation } = await createFor(db, w.principal, small.id, w.template.id);
  const at = (operationId: string) => ({ operationId, serverId: server.id, hostId: w.host.id });
  await finish(db, at(operation.id), 'succeeded', { state: 'running' });
  const base = await hostCounters(db, w.host.id);

  const unknown = await expectAppError(resizeServer({ db, principal: w.principal, serverId: server.id, input: { planId: 'plan_nosuchplan' } }), 'validation_failed');
  expect(unknown.fieldErrors?.[0]?.path).toBe('planId');
  const shrink = await expectAppError(resizeServer({ db, principal: w.principal, serverId: server.id, input: { planId: tinyDisk.id } }), 'invalid_state');
  expect(shrink.message).toMatch(/shrinks only while its server is stopped/);
  await expectAppError(resizeServer({ db, principal: w.principal, serverId: server.id, input: { planId: small.id } }), 'invalid_state');
  await expectAppError(resizeServer({ db, principal: w.principal, serverId: server.id, input: { planId: huge.id } }), 'no_capacity');
  expect(await db.operation.count({ where: { serverId: server.id, type: 'resize' } })).toBe(0); // refusals left nothing
  expect(await hostCounters(db, w.host.id)).toEqual(base);

  // A failed resize gives the reservation back and keeps the old plan.
  const failed = (await resizeServer({ db, principal: w.principal, serverId: server.id, input: { planId: big.id } })).operation;
  expect((await hostCounters(db, w.host.id)).memoryMb).toBe(base.memoryMb + 1536);
  const job = await buildServerJob({ db, operationId: failed.id });
  expect(job?.spec.limits).toMatchObject({ memoryMb: 2048, diskGb: 20, cpuCores: 2 });
  await finish(db, at(failed.id), 'failed', { state: 'running', error: 'boom' });
  expect(await hostCounters(db, w.host.id)).toEqual(base);
  expect((await db.server.findUniqueOrThrow({ where: { id: server.id } })).planId).toBe(small.id);

  // A successful one moves the plan and keeps the power state.
  const ok = (await resizeServer({ db, principal: w.principal, serverId: server.id, input: { planId: big.id } })).operation;
  await finish(db, at(ok.id), 'succeeded', { state: 'running' });
  const after = await db.server.findUniqueOrThrow({ where: { id: server.id } });
  expect(after).toMatchObject({ planId: big.id, status: 'running' });
  expect(await hostCounters(db, w.host.id)).toMatchObject({ memoryMb: base.memoryMb + 1536, diskGb: base.diskGb + 15 });
});

it('shrinks a disk only while the server is stopped, and frees the disk when the agent confirms', async () => {
  const { db } = t;
  const w = await makeWorld(db, { memoryMb: 4096, diskGb: 100, cidr: '198.18.2.0/28' });
  const big = await makePlan(db, { memoryMb: 512, diskGb: 20 });
  const small = await makePlan(db, { memoryMb: 512, diskGb: 5 });
  const { server, operation } = await createFor(db, w.principal, big.id, w.template.id);
  const at = (operationId: string) => ({ operationId, serverId: server.id, hostId: w.host.id });
  await finish(db, at(operation.id), 'succeeded', { state: 'running' });
  const stop = await actOnServer({ db, principal: w.principal, serverId: server.id, action: { type: 'stop' } });
  await finish(db, at(stop.operation.id), 'succeeded', { state: 'stopped' });
  const base = await hostCounters(db, w.host.id);

  const op = (await resizeServer({ db, principal: w.principal, serverId: server.id, input: { planId: small.id } })).operation;
  expect(await hostCounters(db, w.host.id)).toEqual(base); // a shrink reserves nothing
  expect((await buildServerJob({ db, operationId: op.id }))?.spec.limits.diskGb).toBe(5);

  // The agent refuses a shrink below the data: nothing moves.
  await finish(db, at(op.id), 'failed', { state: 'stopped', error: 'disk_in_use: the disk holds data needing 7.00 GB' });
  expect((await db.server.findUniqueOrThrow({ where: { id: server.id } })).planId).toBe(big.id);
  expect(await hostCounters(db, w.host.id)).toEqual(base);

  const ok = (await resizeServer({ db, principal: w.principal, serverId: server.id, input: { planId: small.id } })).operation;
  await finish(db, at(ok.id), 'succeeded', { state: 'stopped' });
  expect((await db.server.findUniqueOrThrow({ where: { id: server.id } })).planId).toBe(small.id);
  expect(await hostCounters(db, w.host.id)).toMatchObject({ diskGb: base.diskGb - 15 });
});
