import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@berth/db/testing';
import { reconcileHostInventory } from './reconcile-host-inventory.ts';
import { actOnServer } from '../servers/act-on-server.ts';
import { createFor, finish, makeWorld } from '../testing/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

it('starts what should run, leaves the rest, and flags servers whose container is gone', async () => {
  const { db } = t;
  const w = await makeWorld(db);
  const running = async () => {
    const { server, operation } = await createFor(db, w.principal, w.plan.id, w.template.id);
    await finish(db, { operationId: operation.id, serverId: server.id, hostId: w.host.id }, 'succeeded', { state: 'running' });
    return server.id;
  };
  const [stoppedByReboot, stillRunning, lostDisk, busy] = [await running(), await running(), await running(), await running()];
  const userStopped = await running();
  const stopOp = (await actOnServer({ db, principal: w.principal, serverId: userStopped, action: { type: 'stop' } })).operation;
  await finish(db, { operationId: stopOp.id, serverId: userStopped, hostId: w.host.id }, 'succeeded', { state: 'stopped' });
  await actOnServer({ db, principal: w.principal, serverId: busy, action: { type: 'restart' } }); // still queued

  const result = await reconcileHostInventory({
    db,
    event: {
      hostId: w.host.id, at: new Date().toISOString(),
      servers: [
        { serverId: stoppedByReboot, state: 'stopped' }, { serverId: stillRunning, state: 'running' },
        { serverId: userStopped, state: 'stopped' }, { serverId: busy, state: 'stopped' },
      ],
    },
  });
  expect(result).toEqual({ started: [stoppedByReboot], lost: [lostDisk] });
  const op = await db.operation.findFirst({ where: { serverId: stoppedByReboot, type: 'start' } });
  expect(op).toMatchObject({ status: 'queued', userId: null, dispatchedAt: null });
  expect((await db.server.findUniqueOrThrow({ where: { id: lostDisk } })).status).toBe('error');
  expect(await db.operation.count({ where: { serverId: { in: [stillRunning, userStopped] }, type: 'start' } })).toBe(0);
  // A second report (agent restarted again) does not queue a second start.
  expect((await reconcileHostInventory({ db, event: { hostId: w.host.id, at: new Date().toISOString(), servers: [{ serverId: stoppedByReboot, state: 'stopped' }] } })).started).toEqual([]);
});
