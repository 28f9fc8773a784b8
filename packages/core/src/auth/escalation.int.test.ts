// A narrow credential cannot make itself a wider one: not through a new login, not through a sub-user's
// rights, not through a key minted with a key (its expiry and allowlist are capped too).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { addUser } from '../users/add-user.ts';
import { createUser } from '../users/create-user.ts';
import { setUserPermissions } from '../users/set-user-permissions.ts';
import { expectAppError, makePrincipal } from '../testing/fixtures.ts';
import { authenticateApiKey } from './authenticate-api-key.ts';
import { createApiKey } from './create-api-key.ts';
import { issueApiKey } from './issue-api-key.ts';
import { logIn } from './log-in.ts';
import { logOut } from './log-out.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => t?.drop());

const keyed = async (userId: string, scopes: string[], o: { expiresAt?: Date; allowedIps?: string[] } = {}) => {
  const { key } = await createApiKey({ db, userId, name: 't', scopes, ...o });
  return authenticateApiKey({ db, authorization: `Bearer ${key}`, request: { ip: '203.0.113.5', requestId: null } });
};

it('an account:write key adds no full login and grants no server right it does not hold', async () => {
  const owner = await makePrincipal(db, { scopes: [] });
  const narrow = await keyed(owner.userId, ['account:read', 'account:write']);
  // A reseller's narrow key cannot add a full customer login to its customer's tenant.
  const reseller = await makePrincipal(db, { role: 'reseller', scopes: [] });
  await db.tenant.update({ where: { id: owner.tenantId }, data: { parentId: reseller.tenantId } });
  const rNarrow = await keyed(reseller.userId, ['account:read', 'account:write']);
  const err = await expectAppError(addUser({ db, principal: rNarrow, input: { email: 'x@example.test', name: 'x', tenantId: owner.tenantId, role: 'customer', password: 'long enough password' } }), 'forbidden');
  expect(err.message).toMatch(/servers:read, servers:write/);

  const full = await keyed(owner.userId, ['servers:read', 'servers:write', 'account:read', 'account:write', 'billing:read']);
  const sub = await addUser({ db, principal: full, input: { email: 'sub@example.test', name: 'sub', tenantId: owner.tenantId, role: 'customer' } });
  await expectAppError(setUserPermissions({ db, principal: narrow, userId: sub.id, input: { tenant: ['servers:create'], servers: [] } }), 'forbidden');
  await setUserPermissions({ db, principal: narrow, userId: sub.id, input: { tenant: [], servers: [] } }); // taking away is fine
});

it('a key minted with a key never outlives it nor reaches from more addresses', async () => {
  const u = await makePrincipal(db, { scopes: [] });
  const soon = new Date(Date.now() + 3_600_000);
  const parent = await keyed(u.userId, ['account:write', 'servers:read'], { expiresAt: soon, allowedIps: ['203.0.113.0/24'] });
  const child = await issueApiKey({ db, principal: parent, input: { name: 'child', scopes: ['servers:read'] } });
  expect(child.apiKey.expiresAt).toBe(soon.toISOString());
  expect(child.apiKey.allowedIps).toEqual(['203.0.113.0/24']);
  const later = await issueApiKey({ db, principal: parent, input: { name: 'c2', scopes: ['servers:read'], expiresAt: new Date(Date.now() + 86_400_000).toISOString(), allowedIps: ['203.0.113.128/25'] } });
  expect(later.apiKey.expiresAt).toBe(soon.toISOString());
  expect(later.apiKey.allowedIps).toEqual(['203.0.113.128/25']);
  await expectAppError(issueApiKey({ db, principal: parent, input: { name: 'c3', scopes: ['servers:read'], allowedIps: ['0.0.0.0/0'] } }), 'forbidden');
});

it('signing in and out are audited', async () => {
  const u = await createUser({ db, email: 'audit@example.test', name: 'A', role: 'customer', password: 'a long password here' });
  const { token } = await logIn({ db, email: 'audit@example.test', password: 'a long password here', sessionSecret: 'k'.repeat(40), request: { ip: '198.51.100.9', userAgent: 'test' } });
  await logOut({ db, token });
  const events = await db.auditEvent.findMany({ where: { targetId: u.id }, orderBy: { createdAt: 'asc' } });
  expect(events.map((e) => [e.action, e.ip])).toEqual([['user.login', '198.51.100.9'], ['user.logout', null]]);
  await expectAppError(createUser({ db, email: 'AUDIT@example.test', name: 'B', role: 'customer' }), 'conflict');
});
