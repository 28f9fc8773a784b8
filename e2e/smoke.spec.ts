// UI smoke test against a real stack without an agent: create operations stay queued, so servers stay
// "provisioning" — exactly the state these pages must render well.
import { expect, test } from '@playwright/test';
import { makeSshPublicKey } from './support/ssh-key.ts';
import { createServerViaApi, e2eEnv, freshHostname, signIn } from './support/session.ts';
import { shot } from './support/shot.ts';

const IN_TEST_POOL = /^198\.18\.0\.(25[0-5]|2[0-4]\d|1?\d?\d)$/;
let sshKey = '';

test.beforeAll(() => {
  sshKey = makeSshPublicKey();
});

test('sign in, see the servers page, create a server and land on its page', async ({ page }) => {
  await signIn(page);
  await expect(page.getByRole('heading', { name: 'No servers yet' }).or(page.getByRole('table', { name: 'Servers' }))).toBeVisible();
  await shot(page, 'servers-initial');

  await page.getByRole('main').getByRole('link', { name: 'New server' }).click();
  await expect(page).toHaveURL(/\/servers\/new$/);
  const hostname = freshHostname();
  await page.getByLabel('Hostname', { exact: true }).fill(hostname);
  await page.getByRole('group', { name: 'Plan' }).getByRole('radio').first().check();
  await page.getByLabel('Template').selectOption({ index: 0 });
  await page.getByLabel('SSH public keys').fill(sshKey);
  await shot(page, 'new-server');
  await page.getByRole('button', { name: 'Create server' }).click();

  await expect(page).toHaveURL(/\/servers\/srv_[0-9a-z]+$/);
  await expect(page.getByRole('heading', { name: hostname, level: 1 })).toBeVisible();
  await expect(page.getByTestId('server-status')).toHaveText('provisioning');
  const ipv4 = (await page.getByTestId('server-ipv4').textContent())?.trim() ?? '';
  expect(ipv4).toMatch(IN_TEST_POOL);
  await expect(page.getByTestId('ssh-command')).toHaveText(`ssh root@${ipv4}`);
  await expect(page.getByTestId('operation-status')).toHaveText(/queued|running/);
  await expect(page.getByRole('progressbar', { name: 'Create progress' })).toBeVisible();
  await shot(page, 'server-detail');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Servers' }).click();
  const row = page.getByRole('row').filter({ hasText: hostname });
  await expect(row).toContainText('provisioning');
  await expect(row).toContainText(ipv4);
  await shot(page, 'servers');
});

test('the create form shows field errors from the 422 problem', async ({ page }) => {
  await signIn(page);
  await page.goto('/servers/new');
  const hostname = page.getByLabel('Hostname', { exact: true });
  await hostname.fill('-not_a_host-');
  await page.getByLabel('SSH public keys').fill(`${sshKey}\n\nssh-ed25519 not-a-key`);
  await page.getByRole('button', { name: 'Create server' }).click();

  await expect(hostname).toHaveAttribute('aria-invalid', 'true');
  await expect(hostname).toHaveAccessibleDescription(/must be a valid host name/i);
  await expect(page.getByLabel('SSH public keys')).toHaveAccessibleDescription(/Line 3: must be an OpenSSH public key/);
  await expect(page).toHaveURL(/\/servers\/new$/);
  await shot(page, 'new-server-errors');
});

test('delete asks for the hostname, and a busy server gets a readable 409 message', async ({ page, request }) => {
  const { adminKey } = e2eEnv();
  test.skip(!adminKey, 'needs BERTH_E2E_ADMIN_KEY to create a server through the API');
  const hostname = freshHostname('del');
  const { server } = await createServerViaApi(request, hostname);

  await signIn(page);
  await page.goto(`/servers/${server.id}`);
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeDisabled();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Delete ${hostname}?` });
  await expect(dialog).toBeVisible();
  const confirm = dialog.getByRole('button', { name: 'Delete server' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/to confirm/).fill('wrong-name');
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/to confirm/).fill(hostname);
  await shot(page, 'delete-dialog', false);
  await confirm.click();
  // No agent runs here, so the create operation is still queued and the API refuses with 409.
  await expect(page.getByText('Another operation is still in progress on this server.')).toBeVisible();
  await expect(page.getByTestId('server-status')).toHaveText('provisioning');
  await shot(page, 'delete-409', false);
});

test('a wrong password shows an error on /login', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(e2eEnv().adminEmail);
  await page.getByLabel('Password').fill('definitely-not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Wrong email or password.')).toBeVisible();
  await shot(page, 'login-error', false);
  await expect(page).toHaveURL(/\/login$/);
});

test('signing out returns to /login and the servers page needs sign-in again', async ({ page }) => {
  await signIn(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.goto('/servers');
  await expect(page).toHaveURL(/\/login$/);
});

test('an unknown server id shows a not-found page', async ({ page }) => {
  await signIn(page);
  const res = await page.goto('/servers/srv_doesnotexist0');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Server not found' })).toBeVisible();
});

test('plan change and reinstall offer only what can work, and wait while the server is busy', async ({ page, request }) => {
  const { adminKey } = e2eEnv();
  test.skip(!adminKey, 'needs BERTH_E2E_ADMIN_KEY to create a server through the API');
  const hostname = freshHostname('maint');
  const bigDisk = <T extends { diskGb: number }>(plans: T[]) => [...plans].sort((a, b) => b.diskGb - a.diskGb)[0]!;
  const { server, plans } = await createServerViaApi(request, hostname, bigDisk);
  const smallest = [...plans].sort((a, b) => a.diskGb - b.diskGb)[0]!;

  await signIn(page);
  await page.goto(`/servers/${server.id}`);
  const select = page.getByLabel(/Change plan/);
  // Every other plan is listed; smaller disks are shown but cannot be chosen.
  await expect(select.locator('option:not([value=""])')).toHaveCount(plans.length - 1);
  await expect(select.locator(`option[value="${smallest.id}"]`)).toBeDisabled();
  // Provisioning (no agent here): neither may start yet, even with the confirmation typed.
  await page.getByRole('textbox', { name: /to confirm/ }).fill(hostname);
  await expect(page.getByRole('button', { name: 'Change plan' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Reinstall' })).toBeDisabled();
  await shot(page, 'maintenance');
});

test('the API reference at /docs/api lists every endpoint from the catalog, readable in a browser', async ({ page }) => {
  await page.goto('/docs/api');
  await expect(page.getByRole('heading', { name: 'Berth API v1', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'POST /servers/{id}/resize' })).toBeVisible();
  await page.locator('#createServer').getByText('Request body').click();
  await expect(page.locator('#createServer pre').first()).toContainText('hostname: string');
  await expect(page.getByRole('link', { name: 'openapi.json' })).toHaveAttribute('href', '/api/v1/openapi.json');
});
