// The account page in a real browser: API keys (shown once, usable, revocable), SSH keys, and turning on
// two-factor sign-in with a code from the shown key. Uses a fresh customer so the shared admin stays as is.
import { expect, test } from '@playwright/test';
import { base32Decode, totpAt } from '../packages/core/src/auth/totp.ts';
import { e2eEnv } from './support/session.ts';
import { makeSshPublicKey } from './support/ssh-key.ts';
import { shot } from './support/shot.ts';

test('a customer issues and revokes an API key, saves an SSH key and turns on two-factor sign-in', async ({ page, request }) => {
  const admin = { authorization: `Bearer ${e2eEnv().adminKey}` };
  const tenant = await (await request.post('/api/v1/tenants', { headers: admin, data: { name: 'account page' } })).json();
  const email = `acct-${Date.now().toString(36)}@example.test`;
  const password = 'another long password 7';
  expect((await request.post('/api/v1/users', { headers: admin, data: { email, name: 'Ada', tenantId: tenant.id, password } })).status()).toBe(201);

  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/servers$/);
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible();
  await expect(page.getByText('No API keys yet.')).toBeVisible();

  // API key: shown once, works, then revoked.
  await page.getByLabel('Name', { exact: true }).first().fill('deploy script');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.getByLabel('New API key').textContent())!.trim();
  expect(key).toMatch(/^berth_/);
  await expect(page.getByRole('table', { name: 'API keys' })).toContainText('deploy script');
  const auth = { authorization: `Bearer ${key}` };
  expect((await request.get('/api/v1/servers', { headers: auth })).status()).toBe(200);
  await shot(page, 'account');
  await page.getByRole('button', { name: 'Revoke deploy script' }).click();
  await expect(page.getByText('No API keys yet.')).toBeVisible();
  expect((await request.get('/api/v1/servers', { headers: auth })).status()).toBe(401);

  // SSH key, with ssh-keygen's fingerprint.
  await page.locator('#ssh-name').fill('laptop');
  await page.getByLabel('Public key').fill(makeSshPublicKey());
  await page.getByRole('button', { name: 'Add key' }).click();
  await expect(page.getByRole('list', { name: 'SSH keys' })).toContainText(/laptop SHA256:/);

  // Password: a wrong current one is a field error; the right one changes it.
  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password (12 characters or more)').fill('a brand new password 9');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#pw-current-error')).toHaveText('wrong password');
  await page.getByLabel('Current password').fill(password);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed; your other sessions were signed out.')).toBeVisible();

  // Webhook: the signing secret is shown once.
  await page.getByLabel('URL').fill('https://hooks.example.com/berth');
  await page.getByRole('button', { name: 'Add webhook' }).click();
  await expect(page.getByLabel('Webhook secret')).toHaveText(/^whsec_/);
  await expect(page.getByRole('list', { name: 'Webhooks' })).toContainText('https://hooks.example.com/berth');

  // Two-factor: the page shows the key; a code from it turns it on and shows recovery codes once.
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  const secret = (await page.getByLabel('TOTP key').textContent())!.trim();
  await page.getByLabel('Code from the app').fill(totpAt(base32Decode(secret), Math.floor(Date.now() / 30_000)));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByLabel('Recovery codes')).toContainText(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}/);
  await page.getByRole('button', { name: 'I saved them' }).click();
  await expect(page.getByText('Two-factor sign-in is on.')).toBeVisible();
});
