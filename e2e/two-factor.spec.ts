// Two-factor sign-in in a real browser: a user enrols TOTP through the API, then the sign-in form asks
// for the code after the password and accepts a current one.
import { expect, test } from '@playwright/test';
import { base32Decode, totpAt } from '../packages/core/src/auth/totp.ts';
import { e2eEnv } from './support/session.ts';

test('a user with TOTP on is asked for the code after the password, and gets in with it', async ({ page, request }) => {
  const admin = { authorization: `Bearer ${e2eEnv().adminKey}` };
  const tenant = await (await request.post('/api/v1/tenants', { headers: admin, data: { name: 'two-factor' } })).json();
  const email = `tfa-${Date.now().toString(36)}@example.test`;
  const password = 'a long enough password 42';
  expect((await request.post('/api/v1/users', { headers: admin, data: { email, name: 'TFA', tenantId: tenant.id, password } })).status()).toBe(201);

  // Enrol with that user's own session (cookie + CSRF header), as the account page would.
  expect((await request.post('/api/auth/login', { data: { email, password } })).status()).toBe(200);
  const csrf = { 'x-berth-csrf': '1' };
  const { secret } = await (await request.post('/api/v1/account/totp', { headers: csrf })).json();
  const code = (offset: number) => totpAt(base32Decode(secret), Math.floor(Date.now() / 30_000) + offset);
  const confirmed = await request.post('/api/v1/account/totp/confirm', { headers: csrf, data: { code: code(-1) } });
  expect(confirmed.status()).toBe(200);
  expect((await confirmed.json()).recoveryCodes).toHaveLength(10);
  await request.post('/api/auth/logout');

  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const codeField = page.getByLabel('Authentication code');
  await expect(codeField).toBeVisible();
  await codeField.fill('000000' === code(0) ? '111111' : '000000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('That code is wrong or was already used.')).toBeVisible();
  await codeField.fill(code(0));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/servers$/);
});
