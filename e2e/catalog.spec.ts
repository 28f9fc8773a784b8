// What is on sale: an admin adds and retires plans and registers templates; a reseller adds a private plan
// that its customers (and only they) can order; the admin's tenants and users page.
import { expect, test } from '@playwright/test';
import { e2eEnv, signIn } from './support/session.ts';
import { shot } from './support/shot.ts';

const adminHeaders = () => ({ authorization: `Bearer ${e2eEnv().adminKey}` });
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

test('an admin adds a plan (server-side errors next to the fields first), reprices and retires it', async ({ page }) => {
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Plans' }).click();
  await expect(page.getByRole('heading', { name: 'Plans and templates', level: 1 })).toBeVisible();
  const form = page.getByRole('form', { name: 'New plan' });
  const name = unique('e2e-plan');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Memory (MB)').fill('10');
  await form.getByLabel('vCPU').fill('lots');
  await form.getByRole('button', { name: 'Add plan' }).click();
  await expect(form.getByLabel('Memory (MB)')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#plan-memoryMb-error')).toContainText('64');
  await expect(page.locator('#plan-cpuCores-error')).toContainText(/number/i);
  await shot(page, 'plans-errors');

  await form.getByLabel('Memory (MB)').fill('512');
  await form.getByLabel('vCPU').fill('0.5');
  await form.getByLabel('Disk IO (MB/s)').fill('50');
  await form.getByLabel('Price per month ($)').fill('3.50');
  await form.getByRole('button', { name: 'Add plan' }).click();
  await expect(form.getByRole('status')).toHaveText(`${name} is on sale.`);
  const row = page.getByRole('table', { name: 'Plans' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('$3.50/mo');
  await expect(row).toContainText('50 MB/s read');
  await row.getByLabel(`Price of ${name} per month ($)`).fill('4');
  await row.getByRole('button', { name: 'Save price' }).click();
  await expect(row).toContainText('$4.00/mo');
  await row.getByRole('button', { name: 'Retire' }).click();
  await expect(row).toContainText('retired');
  await expect(row.getByRole('button', { name: 'Put on sale' })).toBeVisible();
  // Retired plans are not offered to new orders.
  await page.goto('/servers/new');
  await expect(page.getByRole('group', { name: 'Plan' })).not.toContainText(name);
  await page.goto('/plans');
  await shot(page, 'plans');
});

test('an admin registers a template; a bad name is refused next to its field', async ({ page }) => {
  await signIn(page);
  await page.goto('/plans');
  const form = page.getByRole('form', { name: 'Register a template' });
  await form.getByLabel('Name').fill('Not Valid!');
  await form.getByLabel('Label').fill('Broken');
  await form.getByLabel('Image on the hosts').fill('debian-12');
  await form.getByRole('button', { name: 'Register template' }).click();
  await expect(page.locator('#tpl-name-error')).toContainText(/lower-case/i);
  const name = unique('tpl');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Label').fill(`Label ${name}`);
  await form.getByRole('button', { name: 'Register template' }).click();
  const row = page.getByRole('table', { name: 'Templates' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText(`Label ${name}`);
  await row.getByRole('button', { name: 'Retire' }).click();
  await expect(row).toContainText('retired');
});

test('a reseller sells a private plan that its customer can order and another customer cannot see', async ({ page, request, browser }) => {
  const admin = adminHeaders();
  const resellerTenant = await (await request.post('/api/v1/tenants', { headers: admin, data: { name: 'Plan Reseller' } })).json();
  const resellerEmail = `${unique('res')}@example.test`;
  await request.post('/api/v1/users', { headers: admin, data: { email: resellerEmail, name: 'R', tenantId: resellerTenant.id, role: 'reseller', password: 'reseller password 1' } });
  await signIn(page, resellerEmail, 'reseller password 1');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Plans' }).click();
  await expect(page.getByRole('heading', { name: 'Plans you sell', level: 1 })).toBeVisible();
  const name = unique('gold');
  const form = page.getByRole('form', { name: 'New plan' });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Add plan' }).click();
  const row = page.getByRole('table', { name: 'Plans' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('Your customers');
  // Public plans are shown but set by the platform.
  await expect(page.getByRole('table', { name: 'Plans' }).getByText('Set by the platform').first()).toBeVisible();

  // The reseller's customer sees the plan when ordering; a customer of nobody does not.
  const custEmail = `${unique('cus')}@example.test`;
  const customer = await (await page.request.post('/api/v1/tenants', { headers: { 'x-berth-csrf': '1' }, data: { name: 'Plan Customer' } })).json();
  expect((await page.request.post('/api/v1/users', { headers: { 'x-berth-csrf': '1' }, data: { email: custEmail, name: 'C', tenantId: customer.id, password: 'customer password 1' } })).status()).toBe(201);
  const other = await (await request.post('/api/v1/tenants', { headers: admin, data: { name: 'Elsewhere' } })).json();
  const otherEmail = `${unique('oth')}@example.test`;
  await request.post('/api/v1/users', { headers: admin, data: { email: otherEmail, name: 'O', tenantId: other.id, password: 'other password 12' } });
  for (const [email, password, sees] of [[custEmail, 'customer password 1', true], [otherEmail, 'other password 12', false]] as const) {
    const ctx = await browser.newContext({ baseURL: process.env.BERTH_E2E_BASE_URL });
    const p = await ctx.newPage();
    await signIn(p, email, password);
    await expect(p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Plans' })).toHaveCount(0);
    await p.goto('/servers/new');
    const plans = p.getByRole('group', { name: 'Plan' });
    await expect(plans.getByRole('radio').first()).toBeVisible();
    if (sees) await expect(plans).toContainText(name);
    else await expect(plans).not.toContainText(name);
    await ctx.close();
  }
});

test('an admin sees tenants with their reseller and quotas, and the users', async ({ page, request }) => {
  const admin = adminHeaders();
  const name = unique('Quota Tenant');
  await request.post('/api/v1/tenants', { headers: admin, data: { name, quotas: { maxServers: 7 } } });
  await signIn(page);
  await page.goto('/admin');
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Tenants and users' }).click();
  const row = page.getByRole('table', { name: 'Tenants' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('7 servers');
  await expect(page.getByRole('table', { name: 'Users' })).toContainText(e2eEnv().adminEmail);
  await shot(page, 'admin-tenants');
  await row.getByRole('link', { name: 'Servers' }).click();
  await expect(page).toHaveURL(/\/servers\?tenantId=ten_/);
  await expect(page.getByRole('heading', { name: 'No servers match' })).toBeVisible();
});
