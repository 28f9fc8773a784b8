// Billing in the browser: an admin credits a customer and records a payment (server-side errors next to the
// fields first); the customer sees balance, ledger and an invoice, and downloads its PDF.
import { expect, test } from '@playwright/test';
import { createDb } from '@berth/db';
import { invoiceSinceTwoMonthsAgo } from './support/billing.ts';
import { e2eEnv, freshHostname, signIn } from './support/session.ts';
import { shot } from './support/shot.ts';

test('an admin credits a customer and records a payment; the customer sees the ledger and downloads an invoice PDF', async ({ page, request, browser }) => {
  const dbUrl = process.env.BERTH_E2E_DATABASE_URL;
  test.skip(!dbUrl, 'needs the private stack (BERTH_E2E_DATABASE_URL) to invoice an ended month');
  const admin = { authorization: `Bearer ${e2eEnv().adminKey}` };
  const tenant = await (await request.post('/api/v1/tenants', { headers: admin, data: { name: 'Billing Ltd' } })).json();
  const email = `bill-${Date.now().toString(36)}@example.test`;
  await request.post('/api/v1/users', { headers: admin, data: { email, name: 'B', tenantId: tenant.id, password: 'billing password 1' } });
  // A server of that customer, metered over last month and invoiced, as the worker does at a month's end.
  const plans = (await (await request.get('/api/v1/plans', { headers: admin })).json()).data.filter((p: { tenantId: string | null }) => p.tenantId === null);
  const templates = (await (await request.get('/api/v1/templates', { headers: admin })).json()).data;
  const made = await request.post('/api/v1/servers', { headers: admin, data: { hostname: freshHostname('bill'), planId: plans[0].id, templateId: templates[0].id, tenantId: tenant.id } });
  expect(made.status()).toBe(202);
  const serverId = (await made.json()).server.id as string;
  const db = createDb(dbUrl!, { max: 2 });
  try {
    await invoiceSinceTwoMonthsAgo({ db, serverId, day: 20, dueDays: 14 });
  } finally {
    await db.$disconnect();
  }

  await signIn(page);
  await page.goto('/admin/tenants');
  await page.getByRole('link', { name: 'Billing of Billing Ltd' }).first().click();
  await expect(page.getByRole('heading', { name: 'Billing: Billing Ltd', level: 1 })).toBeVisible();
  const owed = (await page.getByTestId('due').textContent())!;
  expect(owed).toMatch(/^USD [1-9]\d*\.\d\d$/);
  // Paying what is owed settles the invoice.
  const pay = page.getByRole('form', { name: 'Record a payment' });
  await pay.getByLabel('Amount received (USD)').fill('12.345');
  await pay.getByRole('button', { name: 'Record payment' }).click();
  await expect(page.locator('#payment-amount-error')).toContainText('USD');
  await pay.getByLabel('Amount received (USD)').fill(owed.replace('USD ', ''));
  await pay.getByLabel('Reference (bank transfer id, receipt number)').fill(`bank-${Date.now()}`);
  await pay.getByRole('button', { name: 'Record payment' }).click();
  await expect(page.getByRole('table', { name: 'Invoices' })).toContainText('paid');
  await expect(page.getByTestId('due')).toHaveText('USD 0.00');
  await expect(page.getByRole('table', { name: 'Invoices' })).not.toContainText('open');
  // A goodwill credit then shows as the balance.
  const adjust = page.getByRole('form', { name: 'Adjust the balance' });
  await adjust.getByLabel('Amount (USD)').fill('5');
  await adjust.getByLabel('Reason (the customer sees it)').fill('x');
  await adjust.getByRole('button', { name: 'Add to ledger' }).click();
  await expect(page.locator('#entry-reason-error')).toContainText(/3/); // min length, from the server
  await adjust.getByLabel('Reason (the customer sees it)').fill('Sorry for the outage');
  await adjust.getByRole('button', { name: 'Add to ledger' }).click();
  await expect(page.getByRole('table', { name: 'Ledger' })).toContainText('Sorry for the outage');
  await expect(page.getByRole('table', { name: 'Ledger' })).toContainText('USD 5.00');

  await expect(page.getByTestId('balance')).toHaveText('USD 5.00');
  await shot(page, 'billing-admin');

  const ctx = await browser.newContext({ baseURL: process.env.BERTH_E2E_BASE_URL });
  const customer = await ctx.newPage();
  await signIn(customer, email, 'billing password 1');
  await customer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
  await expect(customer.getByRole('heading', { name: 'Billing', level: 1 })).toBeVisible();
  await expect(customer.getByRole('table', { name: 'Ledger' })).toContainText('Sorry for the outage');
  await expect(customer.getByRole('form', { name: 'Adjust the balance' })).toHaveCount(0);
  const pdfHref = await customer.getByRole('table', { name: 'Invoices' }).getByRole('link', { name: 'PDF' }).first().getAttribute('href');
  const pdf = await customer.request.get(pdfHref!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
  await shot(customer, 'billing');
  await ctx.close();
});

test('an admin sets a reseller\'s wholesale price, the reseller its retail price, and its customer orders at retail', async ({ page, request, browser }) => {
  const admin = { authorization: `Bearer ${e2eEnv().adminKey}` };
  const stamp = Date.now().toString(36);
  const resellerTenant = await (await request.post('/api/v1/tenants', { headers: admin, data: { name: `Price Reseller ${stamp}` } })).json();
  const resellerEmail = `pr-${stamp}@example.test`;
  await request.post('/api/v1/users', { headers: admin, data: { email: resellerEmail, name: 'R', tenantId: resellerTenant.id, role: 'reseller', password: 'reseller password 1' } });
  const plans = (await (await request.get('/api/v1/plans', { headers: admin })).json()).data.filter((p: { tenantId: string | null }) => p.tenantId === null);
  const plan = plans[0] as { id: string; name: string };

  await signIn(page);
  await page.goto('/admin/tenants');
  await page.getByRole('link', { name: `Prices of Price Reseller ${stamp}` }).click();
  const wholesale = page.getByRole('form', { name: `wholesale price of ${plan.name}` });
  await wholesale.getByRole('textbox').fill('1.234');
  await wholesale.getByRole('button', { name: 'Save' }).click();
  await expect(wholesale.locator('.field-error')).toContainText('USD');
  await wholesale.getByRole('textbox').fill('1.50');
  await wholesale.getByRole('button', { name: 'Save' }).click();
  await expect(wholesale.getByRole('button', { name: 'Use list' })).toBeVisible();

  const ctx = await browser.newContext({ baseURL: process.env.BERTH_E2E_BASE_URL });
  const reseller = await ctx.newPage();
  await signIn(reseller, resellerEmail, 'reseller password 1');
  await reseller.goto('/plans');
  await reseller.getByRole('link', { name: 'Your prices' }).click();
  await expect(reseller.getByTestId(`wholesale-${plan.name}`)).toHaveText('USD 1.50');
  const retail = reseller.getByRole('form', { name: `retail price of ${plan.name}` });
  await retail.getByRole('textbox').fill('9.99');
  await retail.getByRole('button', { name: 'Save' }).click();
  await expect(retail.getByRole('button', { name: 'Use list' })).toBeVisible();
  await shot(reseller, 'reseller-prices');

  // The reseller's customer sees the retail price on the order form.
  const customerEmail = `pc-${stamp}@example.test`;
  const customerTenant = await (await reseller.request.post('/api/v1/tenants', { headers: { 'x-berth-csrf': '1' }, data: { name: 'Price Customer' } })).json();
  await reseller.request.post('/api/v1/users', { headers: { 'x-berth-csrf': '1' }, data: { email: customerEmail, name: 'C', tenantId: customerTenant.id, password: 'customer password 1' } });
  await ctx.close();
  const ctx2 = await browser.newContext({ baseURL: process.env.BERTH_E2E_BASE_URL });
  const customer = await ctx2.newPage();
  await signIn(customer, customerEmail, 'customer password 1');
  await customer.goto('/servers/new');
  await expect(customer.getByRole('group', { name: 'Plan' }).locator('label', { hasText: new RegExp(plan.name, 'i') })).toContainText('$9.99/mo');
  await ctx2.close();
});
