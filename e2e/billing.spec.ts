// Billing in the browser: an admin credits a customer and records a payment (server-side errors next to the
// fields first); the customer sees balance, ledger and an invoice, and downloads its PDF.
import { expect, test } from '@playwright/test';
import { issueInvoices, meterServers } from '@berth/core';
import { createDb } from '@berth/db';
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
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 20));
    await db.server.update({ where: { id: serverId }, data: { createdAt: lastMonth, billedThrough: lastMonth } });
    await db.serverPlanChange.updateMany({ where: { serverId }, data: { at: lastMonth } });
    while (await meterServers({ db, now })) { /* drain */ }
    while (await issueInvoices({ db, now, dueDays: 14 })) { /* drain */ }
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
