import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { createServer } from '../servers/create-server.ts';
import { authenticateApiKey } from './authenticate-api-key.ts';
import { createApiKey } from './create-api-key.ts';
import { expectAppError, makePrincipal, makeWorld, nextHostname } from '../testing/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => {
  await t?.drop();
});

const auth = (authorization: string | null, ip: string | null = '127.0.0.1') =>
  authenticateApiKey({ db, authorization, request: { ip, requestId: null } });
const keyFor = async (scopes: string[], expiresAt?: Date) => {
  const p = await makePrincipal(db, { role: 'reseller', scopes });
  const { id, key } = await createApiKey({ db, userId: p.userId, name: 'ci', scopes, expiresAt });
  return { p, id, key };
};

describe('authenticateApiKey', () => {
  it('resolves a valid key to its user, tenant, role and scopes, and notes when it was used', async () => {
    const { p, id, key } = await keyFor(['servers:read', 'servers:write']);
    const principal = await auth(`Bearer ${key}`);
    expect(principal).toEqual({ userId: p.userId, tenantId: p.tenantId, role: 'reseller', scopes: ['servers:read', 'servers:write'], apiKeyId: id, request: { ip: '127.0.0.1', requestId: null },
      subUser: false, tenantPermissions: [],
    });
    expect(await auth(`bearer   ${key}  `)).toEqual(principal);

    let lastUsedAt: Date | null = null;
    for (let i = 0; i < 50 && !lastUsedAt; i++, await sleep(20)) {
      lastUsedAt = (await db.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt;
    }
    expect(lastUsedAt).toBeInstanceOf(Date);
  });

  it('stores only a hash: the plain key is nowhere in the row', async () => {
    const { id, key } = await keyFor(['servers:read']);
    const row = await db.apiKey.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(row)).not.toContain(key.slice(-43)); // the secret (base64url, may itself contain '_')
    expect(key.startsWith(`berth_${row.prefix}_`)).toBe(true);
  });

  it('carries the key’s scopes, not the user’s rights, into the verbs', async () => {
    const { plan, template } = await makeWorld(db);
    const { key } = await keyFor(['servers:read']);
    const principal = await auth(`Bearer ${key}`);
    await expectAppError(
      createServer({ db, principal, input: { hostname: nextHostname(), planId: plan.id, templateId: template.id } }),
      'forbidden',
    );
  });

  it('refuses a wrong secret, an unknown prefix, a revoked and an expired key with one vague 401', async () => {
    const { id, key } = await keyFor(['servers:read']);
    const secret = key.slice(-43);
    const flipped = key.slice(0, -43) + (secret[0] === 'A' ? 'B' : 'A') + secret.slice(1);
    const unknown = `berth_${'z'.repeat(12)}_${randomBytes(32).toString('base64url')}`;
    const expired = await keyFor(['servers:read'], new Date(Date.now() - 1000));
    const future = await keyFor(['servers:read'], new Date(Date.now() + 3_600_000));

    const errors = [
      await expectAppError(auth(`Bearer ${flipped}`), 'unauthorized'),
      await expectAppError(auth(`Bearer ${unknown}`), 'unauthorized'),
      await expectAppError(auth(`Bearer ${expired.key}`), 'unauthorized'),
    ];
    expect(await auth(`Bearer ${future.key}`)).toMatchObject({ userId: future.p.userId });

    expect(await auth(`Bearer ${key}`)).toMatchObject({ scopes: ['servers:read'] });
    await db.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    errors.push(await expectAppError(auth(`Bearer ${key}`), 'unauthorized'));

    expect(new Set(errors.map((e) => e.message)).size).toBe(1);
    expect(errors[0]!.status).toBe(401);
  });

  it('refuses a missing or malformed Authorization header', async () => {
    const { key } = await keyFor(['servers:read']);
    for (const header of [null, '', 'Bearer', 'Bearer ', key, `Basic ${key}`, `Bearer ${key} extra`, 'Bearer berth_short_x', `Bearer ${key}x`, `Bearer ${key.replace('berth_', 'brth_')}`]) {
      await expectAppError(auth(header), 'unauthorized');
    }
  });

  it('honours an IP allowlist, and never grants more than the user\'s role has today', async () => {
    const { id, key } = await keyFor(['servers:read']);
    await db.apiKey.update({ where: { id }, data: { allowedIps: ['203.0.113.0/24', '2001:db8::/32'] } });
    expect(await auth(`Bearer ${key}`, '203.0.113.9')).toMatchObject({ apiKeyId: id });
    expect(await auth(`Bearer ${key}`, '2001:db8::1')).toMatchObject({ apiKeyId: id });
    const refused = await expectAppError(auth(`Bearer ${key}`, '198.51.100.1'), 'forbidden');
    expect(refused.message).toContain('198.51.100.1');
    await expectAppError(auth(`Bearer ${key}`, null), 'forbidden');

    const admin = await makePrincipal(db, { role: 'admin', scopes: ['admin:*'] });
    const adminKey = await createApiKey({ db, userId: admin.userId, name: 'ops', scopes: ['admin:*', 'servers:read'] });
    expect((await auth(`Bearer ${adminKey.key}`)).scopes).toEqual(['admin:*', 'servers:read']);
    await db.user.update({ where: { id: admin.userId }, data: { role: 'customer' } });
    expect((await auth(`Bearer ${adminKey.key}`)).scopes).toEqual(['servers:read']); // demoted: admin:* is gone
  });
});
