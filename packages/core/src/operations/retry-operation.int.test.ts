import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@berth/db/testing';
import { createFor, expectAppError, finish, makePrincipal, makeWorld } from '../testing/fixtures.ts';
import { listOperations } from './list-operations.ts';
import { retryOperation } from './retry-operation.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

it('lists failed operations and queues a failed create again as a new operation', async () => {
  const { db } = t;
  const w = await makeWorld(db, { cidr: '198.18.0.0/24' });
  const admin = await makePrincipal(db, { role: 'admin', scopes: ['admin:*'] });
  const { server, operation } = await createFor(db, w.principal, w.plan.id, w.template.id);
  await expectAppError(retryOperation({ db, principal: admin, operationId: operation.id }), 'invalid_state'); // not failed
  await finish(db, { operationId: operation.id, serverId: server.id, hostId: server.hostId }, 'failed', { state: null, error: 'disk full' });
  expect((await db.server.findUniqueOrThrow({ where: { id: server.id } })).status).toBe('error');

  const failed = await listOperations({ db, principal: w.principal, query: { limit: 50, status: 'failed' } });
  expect(failed.data.map((o) => [o.id, o.error])).toEqual([[operation.id, 'disk full']]);
  expect((await listOperations({ db, principal: await makePrincipal(db), query: { limit: 50 } })).data).toEqual([]); // not theirs

  await expectAppError(retryOperation({ db, principal: w.principal, operationId: operation.id }), 'forbidden'); // admins only
  const again = await retryOperation({ db, principal: admin, operationId: operation.id });
  expect(again.operation).toMatchObject({ type: 'create', status: 'queued', serverId: server.id });
  expect(again.operation.id).not.toBe(operation.id);
  expect((await db.server.findUniqueOrThrow({ where: { id: server.id } })).status).toBe('provisioning');
  await expectAppError(retryOperation({ db, principal: admin, operationId: operation.id }), 'operation_in_progress');
});
