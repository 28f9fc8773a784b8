// Sign-in: argon2id passwords (older scrypt hashes upgraded), server-side sessions that end at once,
// and TOTP two-factor with single-use codes and recovery codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { createUser } from '../users/create-user.ts';
import { deleteUser } from '../users/delete-user.ts';
import { authenticateSession } from './authenticate-session.ts';
import { beginTotp } from './begin-totp.ts';
import { changePassword } from './change-password.ts';
import { confirmTotp } from './confirm-totp.ts';
import { disableTotp } from './disable-totp.ts';
import { logIn } from './log-in.ts';
import { logOut } from './log-out.ts';
import { legacyScryptHash } from './password.ts';
import { base32Decode, totpAt } from './totp.ts';
import { expectAppError, makePrincipal } from '../testing/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => t?.drop());

const SECRET = 'x'.repeat(40);
const PASSWORD = 'correct horse battery staple';
const newUser = async (email: string) => createUser({ db, email, name: 'U', role: 'customer', password: PASSWORD });
const login = (email: string, extra: { totp?: string; recoveryCode?: string; password?: string } = {}) =>
  logIn({ db, email, password: extra.password ?? PASSWORD, totp: extra.totp, recoveryCode: extra.recoveryCode, sessionSecret: SECRET });

describe('sessions', () => {
  it('stores argon2id, upgrades an old scrypt hash at sign-in, and keeps only the token\'s hash', async () => {
    const u = await newUser('argon@example.test');
    expect(u.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await db.user.update({ where: { id: u.id }, data: { passwordHash: await legacyScryptHash(PASSWORD) } });
    const { token } = await login('argon@example.test');
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).passwordHash).toMatch(/^\$argon2id\$/);
    const rows = await db.session.findMany({ where: { userId: u.id } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    await expectAppError(login('argon@example.test', { password: 'wrong' }), 'unauthorized');
  });

  it('ends a session at sign-out and when its user is removed, whatever the cookie says', async () => {
    const u = await newUser('end@example.test');
    const a = await login('end@example.test');
    const b = await login('end@example.test');
    expect((await authenticateSession({ db, token: a.token })).userId).toBe(u.id);
    await logOut({ db, token: a.token });
    await expectAppError(authenticateSession({ db, token: a.token }), 'unauthorized');
    expect((await authenticateSession({ db, token: b.token })).userId).toBe(u.id); // other sessions live on
    const admin = await makePrincipal(db, { role: 'admin', scopes: ['admin:*'] });
    await deleteUser({ db, principal: admin, userId: u.id });
    await expectAppError(authenticateSession({ db, token: b.token }), 'unauthorized');
    await db.session.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectAppError(authenticateSession({ db, token: 'nonsense' }), 'unauthorized');
  });
});

describe('password change', () => {
  it('needs the current password and signs out every other session', async () => {
    const u = await newUser('change@example.test');
    const me = { userId: u.id, tenantId: u.tenantId, role: 'customer' as const, scopes: ['account:write'] };
    const here = await login('change@example.test');
    const elsewhere = await login('change@example.test');
    await expectAppError(changePassword({ db, principal: me, current: 'wrong', next: 'a new long password', keepSessionToken: here.token }), 'validation_failed');
    await changePassword({ db, principal: me, current: PASSWORD, next: 'a new long password', keepSessionToken: here.token });
    expect((await authenticateSession({ db, token: here.token })).userId).toBe(u.id);
    await expectAppError(authenticateSession({ db, token: elsewhere.token }), 'unauthorized');
    await expectAppError(login('change@example.test'), 'unauthorized');
    await login('change@example.test', { password: 'a new long password' });
  });
});

describe('TOTP', () => {
  it('is enrolled with a first code, then asked at sign-in; codes and recovery codes work once', async () => {
    const u = await newUser('totp@example.test');
    const me = { userId: u.id, tenantId: u.tenantId, role: 'customer' as const, scopes: ['account:write'] };
    const { secret, otpauthUri } = await beginTotp({ db, principal: me, sessionSecret: SECRET });
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).totpSecret).not.toContain(secret); // sealed
    await login('totp@example.test'); // not enforced before confirmation
    const code = (offset = 0) => totpAt(base32Decode(secret), Math.floor(Date.now() / 30_000) + offset);
    await expectAppError(confirmTotp({ db, principal: me, sessionSecret: SECRET, code: '000000' === code() ? '111111' : '000000' }), 'validation_failed');
    const { recoveryCodes } = await confirmTotp({ db, principal: me, sessionSecret: SECRET, code: code(-1) });
    expect(recoveryCodes).toHaveLength(10);

    const needs = await expectAppError(login('totp@example.test'), 'mfa_required');
    expect(needs.status).toBe(401);
    await login('totp@example.test', { totp: code() });
    await expectAppError(login('totp@example.test', { totp: code() }), 'unauthorized'); // replayed
    await expectAppError(login('totp@example.test', { totp: code(-1) }), 'unauthorized'); // older than the last one used
    await login('totp@example.test', { recoveryCode: recoveryCodes[3]!.toUpperCase() });
    await expectAppError(login('totp@example.test', { recoveryCode: recoveryCodes[3]! }), 'unauthorized');
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).recoveryCodes).toHaveLength(9);

    await expectAppError(disableTotp({ db, principal: me, sessionSecret: SECRET, code: '12345' }), 'validation_failed');
    await disableTotp({ db, principal: me, sessionSecret: SECRET, code: recoveryCodes[0]! });
    await login('totp@example.test');
  });
});
