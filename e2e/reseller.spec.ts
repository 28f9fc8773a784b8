// A reseller in the browser: adds a customer, orders a server for that customer, and the customer (not
// another one) sees it.
import { expect, test } from '@playwright/test';
import { e2eEnv, freshHostname, signIn } from './support/session.ts';
import { shot } from './support/shot.ts';

test('a reseller creates a customer and a server for them', async ({ page, request, browser }) => {
  const admin = { authorization: `Bearer ${e2eEnv().adminKey}` };
  const tenant = await (await request.post('/api/v1/tenants', { headers: admin, data: { name: 'Reseller Co' } })).json();
  const resellerEmail = `res-${Date.now().toString(36)}@example.test`;
  expect((await request.post('/api/v1/users', { headers: admin, data: { email: resellerEmail, name: 'Res', tenantId: tenant.id, role: 'reseller', password: 'reseller password 1' } })).status()).toBe(201);

  await signIn(page, resellerEmail, 'reseller password 1');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
  await expect(page.getByText('No customers yet')).toBeVisible();
  const customerEmail = `cus-${Date.now().toString(36)}@example.test`;
  await page.getByLabel('Name').fill('Acme Ltd');
  await page.getByLabel('Email').fill(customerEmail);
  await page.getByLabel('Password (12 characters or more)').fill('customer password 1');
  await page.getByLabel('Servers allowed (empty: unlimited)').fill('3');
  await page.getByRole('button', { name: 'Add customer' }).click();
  await expect(page.getByText('Acme Ltd can now sign in.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Customers' })).toContainText('3 servers');
  await shot(page, 'reseller-customers');

  await page.getByRole('link', { name: 'Order a server' }).click();
  await expect(page.getByLabel('For')).toHaveValue(/^ten_/);
  await expect(page.getByLabel('For').locator('option:checked')).toHaveText('Acme Ltd');
  const hostname = freshHostname('acme');
  await page.getByLabel('Hostname').fill(hostname);
  await page.getByRole('button', { name: /create/i }).click();
  await expect(page).toHaveURL(/\/servers\/srv_/);
  await expect(page.getByRole('heading', { name: hostname })).toBeVisible();
  const serverUrl = page.url();
  // Rename from the server page.
  const renamed = freshHostname('acme-web');
  await page.getByLabel('Hostname').fill(renamed);
  await page.getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByRole('heading', { name: renamed, level: 1 })).toBeVisible();

  // The customer sees the server in their own list.
  const ctx = await browser.newContext({ baseURL: process.env.BERTH_E2E_BASE_URL });
  const customer = await ctx.newPage();
  await signIn(customer, customerEmail, 'customer password 1');
  await expect(customer.getByRole('table', { name: 'Servers' })).toContainText(renamed);
  await ctx.close();

  // Another customer cannot open that server's page: not found, nothing shown.
  const other = await (await request.post('/api/v1/tenants', { headers: admin, data: { name: 'Stranger' } })).json();
  const strangerEmail = `str-${Date.now().toString(36)}@example.test`;
  await request.post('/api/v1/users', { headers: admin, data: { email: strangerEmail, name: 'S', tenantId: other.id, password: 'stranger password 1' } });
  const ctx2 = await browser.newContext({ baseURL: process.env.BERTH_E2E_BASE_URL });
  const stranger = await ctx2.newPage();
  await signIn(stranger, strangerEmail, 'stranger password 1');
  await stranger.goto(serverUrl);
  await expect(stranger.getByRole('heading', { name: 'Server not found' })).toBeVisible();
  await expect(stranger.getByText(renamed)).toHaveCount(0);
  await ctx2.close();
});
