// The admin pages in a browser: host capacity against overcommit, failed operations, the audit log; and
// a customer does not get them at all.
import { expect, test } from '@playwright/test';
import { e2eEnv, signIn } from './support/session.ts';
import { shot } from './support/shot.ts';

test('an admin sees host capacity bars, failed operations and the audit log', async ({ page }) => {
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { name: 'Hosts', level: 1 })).toBeVisible();
  for (const what of ['CPU', 'Memory', 'Disk']) await expect(page.getByRole('meter', { name: `${what} allocated` }).first()).toBeVisible();
  await expect(page.getByRole('meter', { name: /^IPv4 198\.18\.0\.0\/24 allocated$/ }).first()).toBeVisible();
  await shot(page, 'admin-hosts');
  // Capacity follows orders: a new server's plan shows in the memory bar at once.
  const memory = page.getByRole('meter', { name: 'Memory allocated' }).first();
  const before = Number(await memory.getAttribute('aria-valuenow'));
  const headers = { authorization: `Bearer ${e2eEnv().adminKey}` };
  const plans = await (await page.request.get('/api/v1/plans', { headers })).json();
  plans.data = plans.data.filter((p: { tenantId: string | null }) => p.tenantId === null); // resellers' private plans are theirs
  const templates = await (await page.request.get('/api/v1/templates', { headers })).json();
  const made = await page.request.post('/api/v1/servers', { headers, data: { hostname: `cap-${Date.now().toString(36)}.example.com`, planId: plans.data[0].id, templateId: templates.data[0].id } });
  expect(made.status()).toBe(202);
  await page.reload();
  await expect.poll(async () => Number(await memory.getAttribute('aria-valuenow'))).toBeCloseTo(before + plans.data[0].memoryMb / 1024, 3);
  await page.getByRole('link', { name: 'Failed operations' }).click();
  await expect(page.getByRole('heading', { name: 'Failed operations', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('table', { name: 'Audit log' })).toContainText('user.login');
  await shot(page, 'admin-audit');
});

test('a customer gets neither the Admin link nor the pages', async ({ page, request }) => {
  const admin = { authorization: `Bearer ${e2eEnv().adminKey}` };
  const tenant = await (await request.post('/api/v1/tenants', { headers: admin, data: { name: 'not admin' } })).json();
  const email = `cust-${Date.now().toString(36)}@example.test`;
  await request.post('/api/v1/users', { headers: admin, data: { email, name: 'C', tenantId: tenant.id, password: 'customer password 123' } });
  await signIn(page, email, 'customer password 123');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'This page could not be found.' })).toBeVisible();
});

test('an admin drains the host for maintenance (orders then find no room), sets overcommit with field errors, and ends it', async ({ page }) => {
  await signIn(page);
  await page.goto('/admin');
  const section = page.getByRole('region', { name: /^Host / }).first();
  const headers = { authorization: `Bearer ${e2eEnv().adminKey}` };
  const order = async () => {
    const plans = (await (await page.request.get('/api/v1/plans', { headers })).json()).data.filter((p: { tenantId: string | null }) => p.tenantId === null);
    const templates = (await (await page.request.get('/api/v1/templates', { headers })).json()).data;
    return page.request.post('/api/v1/servers', { headers, data: { hostname: `drain-${Date.now().toString(36)}.example.com`, planId: plans[0].id, templateId: templates[0].id } });
  };
  try {
    await section.getByRole('button', { name: 'Drain for maintenance' }).click();
    await expect(section.locator('.badge-host-maintenance')).toHaveText('maintenance');
    const refused = await order();
    expect(refused.status()).toBe(503);
    expect((await refused.json()).code).toBe('no_capacity');

    const ratios = section.getByRole('form', { name: /^Overcommit of / });
    await ratios.getByLabel('Memory ×').fill('0');
    await ratios.getByRole('button', { name: 'Save ratios' }).click();
    await expect(ratios.getByLabel('Memory ×')).toHaveAttribute('aria-invalid', 'true');
    await ratios.getByLabel('Memory ×').fill('1');
    await ratios.getByRole('button', { name: 'Save ratios' }).click();
    await expect(ratios.getByLabel('Memory ×')).not.toHaveAttribute('aria-invalid', 'true');
    await shot(page, 'admin-host-maintenance');
  } finally {
    // Whatever happened above, the host goes back into service for the other specs.
    await page.request.patch(`/api/v1/hosts/${(await (await page.request.get('/api/v1/hosts', { headers })).json()).data[0].id}`, { headers, data: { status: 'online' } });
  }
  await page.reload();
  await expect(section.locator('.badge-host-online')).toHaveText('online');
  expect((await order()).status()).toBe(202);
});
