// Prepaid accounts: an order is refused (402) when the balance cannot pay the first hour of the new server
// on top of the running hour of the others, and the quote says so beforehand without writing anything.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@berth/db/testing';
import { createFor, expectAppError, makePlan, makePrincipal, makeWorld } from '../testing/fixtures.ts';
import { addLedgerEntry } from './add-ledger-entry.ts';
import { quoteServer } from './quote-server.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

it('refuses a prepaid order the balance cannot cover, quotes it first, and accepts it once credited', async () => {
  const { db } = t;
  const w = await makeWorld(db, { cidr: '198.18.7.0/24' });
  const plan = await makePlan(db, { priceCentsMonthly: 6720 }); // 10 cents an hour by default
  const customer = await makePrincipal(db, { scopes: ['servers:read', 'servers:write', 'billing:read'] });
  await db.tenant.update({ where: { id: customer.tenantId }, data: { billingMode: 'prepaid' } });
  const admin = await makePrincipal(db, { role: 'admin', scopes: ['account:write', 'admin:*'] });
  const input = { hostname: 'prepaid.example.com', planId: plan.id, templateId: w.template.id };

  const q = await quoteServer({ db, principal: customer, input });
  expect(q).toMatchObject({ hourlyCents: 10, monthlyCapCents: 6720, currency: 'USD', billingMode: 'prepaid', spendableCents: 0, refusal: { code: 'insufficient_funds' } });
  const err = await expectAppError(createFor(db, customer, plan.id, w.template.id), 'insufficient_funds');
  expect(err.message).toContain('USD 0.10');
  expect(await db.server.count({ where: { tenantId: customer.tenantId } })).toBe(0);

  await addLedgerEntry({ db, principal: admin, input: { tenantId: customer.tenantId, kind: 'credit', amountCents: 15, reason: 'top-up' } });
  expect((await quoteServer({ db, principal: customer, input })).refusal).toBeNull();
  await createFor(db, customer, plan.id, w.template.id);
  // 15 - 10 (the running hour of the first) leaves 5: not enough for a second.
  expect(await quoteServer({ db, principal: customer, input })).toMatchObject({ spendableCents: 5, refusal: { code: 'insufficient_funds' } });
  await expectAppError(createFor(db, customer, plan.id, w.template.id), 'insufficient_funds');
  expect(await db.server.count({ where: { tenantId: customer.tenantId } })).toBe(1);
  // Invoice-billed tenants are never refused for funds.
  await db.tenant.update({ where: { id: customer.tenantId }, data: { billingMode: 'invoice' } });
  expect((await quoteServer({ db, principal: customer, input })).refusal).toBeNull();
});
