// The server page in Chromium against a stack with a real agent and VPS: a customer orders the VPS by
// clicking, watches the progress reach running and logs in with the SSH command shown, opens the web
// console, types `hostname` and reads the VPS's host name back from the terminal, then sees graphs with
// data and the server's activity, and stops and starts it.
import { expect, test } from '@playwright/test';
import { createBerthClient } from '@berth/client';
import { startStack, type TStack } from './support/stack.ts';
import { keyByLogin, makeTenantUser } from './support/accounts.ts';
import { signIn } from './support/session.ts';
import { shot } from './support/shot.ts';
import { newSshKey, ssh } from './support/ssh.ts';

// One VPS for the whole file, made by the first test: later tests need it.
test.describe.configure({ mode: 'serial' });

let stack: TStack;
let who: { email: string; password: string };
let serverId = '';
const key = newSshKey();

test.beforeAll(async () => {
  test.setTimeout(300_000);
  stack = await startStack({ withAgent: true, env: { AGENT_METRICS_MS: '1000' } }); // graphs fill in fast
  const admin = createBerthClient({ baseUrl: stack.baseUrl, apiKey: stack.adminKey });
  who = await makeTenantUser(admin, { role: 'customer', tenantName: 'console ui' });
  // The customer's saved SSH key (Account page), offered as a tick on the order form.
  const me = createBerthClient({ baseUrl: stack.baseUrl, apiKey: (await keyByLogin(stack.baseUrl, who.email, who.password, { scopes: ['account:read', 'account:write'] })).key });
  const saved = await me.call('createSshKey', { body: { name: 'laptop', publicKey: key.publicKey } });
  if (!saved.ok) throw new Error(JSON.stringify(saved.body));
});
test.afterAll(async () => stack?.stop());

test('a customer orders a VPS in the browser and watches it to running, then logs in with the SSH command shown', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, who.email, who.password, stack.baseUrl);
  await page.getByRole('main').getByRole('link', { name: /server/i }).first().click();
  await expect(page).toHaveURL(/\/servers\/new$/);
  await page.getByLabel('Hostname', { exact: true }).fill('browser-console.example.com');
  await page.getByRole('group', { name: 'Plan' }).getByRole('radio').first().check();
  await expect(page.getByRole('group', { name: 'Your saved SSH keys' }).getByRole('checkbox', { name: /laptop/ })).toBeChecked();
  await page.getByRole('button', { name: 'Create server' }).click();
  await expect(page).toHaveURL(/\/servers\/srv_[0-9a-z]+$/);
  serverId = page.url().split('/').pop()!;

  // The page follows the agent's progress by itself (no reload) until the VPS answers SSH.
  await expect(page.getByTestId('live')).toHaveAttribute('data-state', 'live');
  const bar = page.getByRole('progressbar', { name: 'Create progress' });
  await expect(page.getByTestId('server-status')).toHaveText('running', { timeout: 180_000 });
  await expect(bar).toHaveAttribute('value', '100');
  await expect(page.getByTestId('operation-status')).toHaveText('succeeded');
  const steps = page.getByRole('list', { name: 'Create steps' }).getByRole('listitem');
  await expect(steps).toHaveCount(3);
  await expect(steps.last()).toHaveClass(/step-done/);
  await shot(page, 'server-created-running');

  const command = (await page.getByTestId('ssh-command').textContent())?.trim() ?? '';
  const ip = /^ssh root@(\d+\.\d+\.\d+\.\d+)$/.exec(command)?.[1];
  expect(ip, command).toBeTruthy();
  const out = ssh(key.keyFile, ip!, 'hostname');
  expect(out.stderr).toBe('');
  expect(out.stdout.trim()).toBe('browser-console.example.com');
});

test('a customer opens the web console and runs hostname in the VPS', async ({ page }) => {
  await signIn(page, who.email, who.password, stack.baseUrl);
  await page.goto(`${stack.baseUrl}/servers/${serverId}`);
  await page.getByRole('button', { name: 'Open console' }).click();
  const terminal = page.getByTestId('console');
  await expect(terminal).toContainText('root@browser-console:~#', { timeout: 30_000 });
  await terminal.click();
  await page.keyboard.type('hostname; echo done-$((6*7))');
  await page.keyboard.press('Enter');
  await expect(terminal).toContainText('browser-console.example.com');
  await expect(terminal).toContainText('done-42');
  await shot(page, 'console');
});

test('the server page shows graphs with data and the server\'s activity', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, who.email, who.password, stack.baseUrl);
  // Hour graphs have 1-minute steps: two steps need the clock to pass a minute boundary.
  await expect(async () => {
    await page.goto(`${stack.baseUrl}/servers/${serverId}`);
    await expect(page.getByTestId('graphs')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 150_000, intervals: [5_000] });
  await expect(page.getByRole('img', { name: 'CPU' })).toBeVisible();
  await expect(page.getByText(/^Memory \d+(\.\d)? MB$/)).toBeVisible();
  await expect(page.getByRole('list', { name: 'Activity' })).toContainText('create');
  await expect(page.getByRole('list', { name: 'Activity' })).toContainText('console');
  await shot(page, 'server-graphs');
  // The list shows each server's CPU of the last hour as a sparkline.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Servers', exact: true }).click();
  await expect(page.getByRole('img', { name: 'CPU of browser-console.example.com over the last hour' })).toBeVisible();
  await shot(page, 'servers-with-sparklines');
});

test('stop asks first, then the page follows the server down and up again', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, who.email, who.password, stack.baseUrl);
  await page.goto(`${stack.baseUrl}/servers/${serverId}`);
  const actions = page.getByRole('group', { name: 'Server actions' });
  await actions.getByRole('button', { name: 'Stop', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Stop browser-console.example.com?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await actions.getByRole('button', { name: 'Stop', exact: true }).click();
  await dialog.getByRole('button', { name: 'Stop server' }).click();
  await expect(page.locator('.page-head').getByText('stopped', { exact: true })).toBeVisible({ timeout: 90_000 });
  await expect(actions.getByRole('button', { name: 'Start', exact: true })).toBeEnabled();
  await actions.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.locator('.page-head').getByText('running', { exact: true })).toBeVisible({ timeout: 90_000 });
  await shot(page, 'server-restarted');
});
