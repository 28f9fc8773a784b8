import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@berth/db/testing';
import { buildServerJob } from '../operations/build-server-job.ts';
import { updateTenantNetwork } from './update-tenant-network.ts';
import { createFor, expectAppError, finish, makePrincipal, makeWorld } from '../testing/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

it('gives each live VPS of the tenant a network operation whose job lists only its own tenant as peers', async () => {
  const { db } = t;
  const w = await makeWorld(db);
  const stranger = await makePrincipal(db);
  const mk = async (principal: typeof w.principal) => {
    const { server, operation } = await createFor(db, principal, w.plan.id, w.template.id);
    return { server, operation };
  };
  const [a1, a2, b1] = [await mk(w.principal), await mk(w.principal), await mk(stranger)];
  // a2's create is still running: the change must wait for it (409), and nothing is half-applied.
  await finish(db, { operationId: a1.operation.id, serverId: a1.server.id, hostId: w.host.id }, 'succeeded', { state: 'running' });
  await finish(db, { operationId: b1.operation.id, serverId: b1.server.id, hostId: w.host.id }, 'succeeded', { state: 'running' });
  await expectAppError(updateTenantNetwork({ db, principal: w.principal, input: { privateNetwork: true } }), 'operation_in_progress');
  expect((await db.tenant.findUniqueOrThrow({ where: { id: w.principal.tenantId } })).privateNetwork).toBe(false);

  await finish(db, { operationId: a2.operation.id, serverId: a2.server.id, hostId: w.host.id }, 'succeeded', { state: 'running' });
  const { tenant, operations } = await updateTenantNetwork({ db, principal: w.principal, input: { privateNetwork: true } });
  expect(tenant.privateNetwork).toBe(true);
  expect(operations.map((o) => o.serverId).sort()).toEqual([a1.server.id, a2.server.id].sort());
  const job = await buildServerJob({ db, operationId: operations.find((o) => o.serverId === a1.server.id)!.id });
  expect(job?.spec.network.peers).toEqual([a2.server.id]); // never b1
  const strangerJob = await buildServerJob({ db, operationId: b1.operation.id });
  expect(strangerJob?.spec.network.peers).toEqual([]);
});
