import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@berth/db/testing';
import { createApiKey } from './create-api-key.ts';
import { authenticateApiKey } from './authenticate-api-key.ts';
import { expectAppError, makePrincipal } from '../testing/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

it('never gives a key more than its user may have', async () => {
  const customer = await makePrincipal(t.db, { role: 'customer' });
  const err = await expectAppError(createApiKey({ db: t.db, userId: customer.userId, name: 'x', scopes: ['admin:*'] }), 'validation_failed');
  expect(err.fieldErrors?.[0]?.path).toBe('scopes');
  await expectAppError(createApiKey({ db: t.db, userId: customer.userId, name: 'x', scopes: ['servers:teleport'] }), 'validation_failed');
  expect(await t.db.apiKey.count({ where: { userId: customer.userId } })).toBe(0);

  const admin = await makePrincipal(t.db, { role: 'admin' });
  const { key } = await createApiKey({ db: t.db, userId: admin.userId, name: 'ops', scopes: ['admin:*'] });
  expect((await authenticateApiKey({ db: t.db, authorization: `Bearer ${key}` })).scopes).toEqual(['admin:*']);
});
