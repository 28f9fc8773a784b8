// Sub-users: an account owner adds logins that see and do only what per-server rights grant, and a
// right taken away stops working on the very next call.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { authenticateApiKey } from '../auth/authenticate-api-key.ts';
import { createApiKey } from '../auth/create-api-key.ts';
import type { TPrincipal } from '../auth/principal.ts';
import { actOnServer } from '../servers/act-on-server.ts';
import { getServer } from '../servers/get-server.ts';
import { listServers } from '../servers/list-servers.ts';
import { reinstallServer } from '../servers/reinstall-server.ts';
import { renameServer } from '../servers/rename-server.ts';
import { updateTenantNetwork } from '../tenancy/update-tenant-network.ts';
import { createFor, expectAppError, finish, makePrincipal, makeWorld } from '../testing/fixtures.ts';
import { addUser } from './add-user.ts';
import { deleteUser } from './delete-user.ts';
import { setUserPermissions } from './set-user-permissions.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => t?.drop());

const asKey = async (userId: string, scopes = ['servers:read', 'servers:write', 'account:read', 'account:write']): Promise<TPrincipal> => {
  const { key } = await createApiKey({ db, userId, name: 't', scopes });
  return authenticateApiKey({ db, authorization: `Bearer ${key}` });
};

it('sees only granted servers, acts only as granted, and loses a right on its next call', async () => {
  const w = await makeWorld(db, { cidr: '198.18.0.0/24' });
  const owner = await asKey(w.principal.userId, ['servers:read', 'servers:write', 'account:read', 'account:write']);
  const s1 = await createFor(db, owner, w.plan.id, w.template.id);
  const s2 = await createFor(db, owner, w.plan.id, w.template.id);
  for (const s of [s1, s2]) await finish(db, { operationId: s.operation.id, serverId: s.server.id, hostId: s.server.hostId }, 'succeeded', { state: 'running' });

  const sub = await addUser({ db, principal: owner, input: { email: 'helper@example.test', name: 'helper', tenantId: owner.tenantId, role: 'customer' } });
  expect(sub.subUser).toBe(true); // an owner's new users are always sub-users
  const helper = await asKey(sub.id);
  expect((await listServers({ db, principal: helper, query: { limit: 50 } })).data).toEqual([]);
  await expectAppError(getServer({ db, principal: helper, serverId: s1.server.id }), 'not_found');

  await setUserPermissions({ db, principal: owner, userId: sub.id, input: { tenant: [], servers: [{ serverId: s1.server.id, permissions: ['view', 'power'] }] } });
  expect((await listServers({ db, principal: helper, query: { limit: 50 } })).data.map((s) => s.id)).toEqual([s1.server.id]);
  const stop = await actOnServer({ db, principal: helper, serverId: s1.server.id, action: { type: 'stop' } });
  expect(stop.operation.type).toBe('stop');
  await finish(db, { operationId: stop.operation.id, serverId: s1.server.id, hostId: s1.server.hostId }, 'succeeded', { state: 'stopped' });
  await expectAppError(reinstallServer({ db, principal: helper, serverId: s1.server.id, input: {} }), 'forbidden');
  await expectAppError(renameServer({ db, principal: helper, serverId: s1.server.id, input: { hostname: 'mine.example.com' } }), 'forbidden'); // view is not rename
  await expectAppError(actOnServer({ db, principal: helper, serverId: s2.server.id, action: { type: 'stop' } }), 'not_found');
  await expectAppError(createFor(db, helper, w.plan.id, w.template.id), 'forbidden'); // no servers:create
  await expectAppError(updateTenantNetwork({ db, principal: helper, input: { privateNetwork: true } }), 'forbidden');
  await expectAppError(addUser({ db, principal: helper, input: { email: 'x@example.test', name: 'x', tenantId: owner.tenantId, role: 'customer' } }), 'forbidden');

  // Taken away: the same principal object (a live key) is refused on its next call.
  await setUserPermissions({ db, principal: owner, userId: sub.id, input: { tenant: ['servers:create'], servers: [] } });
  await expectAppError(actOnServer({ db, principal: helper, serverId: s1.server.id, action: { type: 'start' } }), 'not_found');
  // servers:create is read at authentication: a fresh key of the helper may now order, and sees what it made.
  const { key: helperKey } = await createApiKey({ db, userId: sub.id, name: 't', scopes: ['servers:read', 'servers:write'] });
  const helper2 = await authenticateApiKey({ db, authorization: `Bearer ${helperKey}` });
  const mine = await createFor(db, helper2, w.plan.id, w.template.id);
  expect((await listServers({ db, principal: helper2, query: { limit: 50 } })).data.map((s) => s.id)).toEqual([mine.server.id]);

  // Rights only on the tenant's own servers; an outsider cannot manage the sub-user.
  const other = await makeWorld(db, { cidr: '198.18.1.0/24' });
  const foreign = await createFor(db, other.principal, other.plan.id, other.template.id);
  await expectAppError(setUserPermissions({ db, principal: owner, userId: sub.id, input: { tenant: [], servers: [{ serverId: foreign.server.id, permissions: ['view'] }] } }), 'validation_failed');
  await expectAppError(setUserPermissions({ db, principal: await asKey(other.principal.userId), userId: sub.id, input: { tenant: [], servers: [] } }), 'not_found');

  // Removing the sub-user ends its key at once; an owner cannot remove a co-owner or itself.
  await deleteUser({ db, principal: owner, userId: sub.id });
  await expectAppError(authenticateApiKey({ db, authorization: `Bearer ${helperKey}` }), 'unauthorized');
  const coOwner = await makePrincipal(db, { tenantId: owner.tenantId });
  await expectAppError(deleteUser({ db, principal: owner, userId: coOwner.userId }), 'forbidden');
});
