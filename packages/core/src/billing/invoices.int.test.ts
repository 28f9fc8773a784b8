// Invoices, ledger and payments against real Postgres: one invoice per tenant and month once metering is
// complete, gapless numbers even when issuers race, payments and credits settle the oldest first, the
// ledger refuses edits, and only admins and the owning reseller move money.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '@berth/contracts';
import { createDb, type TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { createFor, expectAppError, makePlan, makePrincipal, makeWorld } from '../testing/fixtures.ts';
import { addLedgerEntry } from './add-ledger-entry.ts';
import { getBillingSummary } from './get-billing-summary.ts';
import { issueInvoices } from './issue-invoices.ts';
import { listInvoices } from './list-invoices.ts';
import { meterServers } from './meter-servers.ts';
import { recordPayment } from './record-payment.ts';
import { renderInvoice } from './render-invoice.ts';
import { recordMetrics } from '../metrics/record-metrics.ts';
import { rollupMetrics } from '../metrics/rollup-metrics.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

const ALL = ['servers:read', 'servers:write', 'account:read', 'account:write', 'billing:read'];
let cidr = 10;

/** A customer tenant with one server metered from `from` to `to` on a plan of `hourly` cents (cap `cap`). */
const tenantWithUsage = async (db: TDb, from: Date, to: Date, hourly = 10, cap = 100_000) => {
  const w = await makeWorld(db, { cidr: `198.18.${cidr++}.0/24` });
  const plan = await makePlan(db, { priceCentsMonthly: cap });
  await db.plan.update({ where: { id: plan.id }, data: { priceCentsHourly: hourly } });
  const customer = await makePrincipal(db, { scopes: ALL });
  const { server } = await createFor(db, customer, plan.id, w.template.id);
  await db.server.update({ where: { id: server.id }, data: { createdAt: from, billedThrough: from } });
  await db.serverPlanChange.updateMany({ where: { serverId: server.id }, data: { at: from } });
  while (await meterServers({ db, now: to })) { /* drain */ }
  return { customer, server };
};

const admin = async (db: TDb) => makePrincipal(db, { role: 'admin', scopes: [...ALL, 'admin:*'] });

it('issues one invoice per tenant and month once metered, charges it, and a payment settles it', async () => {
  const { db } = t;
  const { customer } = await tenantWithUsage(db, new Date('2032-01-31T22:00:00Z'), new Date('2032-02-01T03:00:00Z'));
  const now = new Date('2032-02-01T03:05:00Z');
  await rollupMetrics({ db, now }); // as the worker does: the month's last hour of transfer is in
  expect(await issueInvoices({ db, now, dueDays: 14, seller: { name: 'Hosting As Issued', lines: ['1 Old Street'] } })).toBeGreaterThanOrEqual(1);
  expect(await issueInvoices({ db, now, dueDays: 14 })).toBe(0); // never twice
  const invoices = await listInvoices({ db, principal: customer, query: { limit: 50 } });
  expect(invoices.data).toHaveLength(1); // February is not over: only January
  const inv = invoices.data[0]!;
  expect(inv).toMatchObject({ status: 'issued', totalCents: 20, paidCents: 0, periodStart: '2032-01-01T00:00:00.000Z' });
  expect(inv.lines).toEqual([expect.objectContaining({ hours: 2, unitCents: 10, amountCents: 20 })]);
  expect(await getBillingSummary({ db, principal: customer })).toMatchObject({ balanceCents: -20, accruedCents: 30, dueCents: 20, unpaidInvoices: 1 });

  const a = await admin(db);
  await recordPayment({ db, principal: a, input: { tenantId: customer.tenantId, amountCents: 15, provider: 'manual', reference: 'bank-1' } });
  expect((await listInvoices({ db, principal: customer, query: { limit: 5 } })).data[0]).toMatchObject({ status: 'issued', paidCents: 15 });
  await expectAppError(recordPayment({ db, principal: a, input: { tenantId: customer.tenantId, amountCents: 15, provider: 'manual', reference: 'bank-1' } }), 'conflict');
  await recordPayment({ db, principal: a, input: { tenantId: customer.tenantId, amountCents: 5, provider: 'manual', reference: 'bank-2' } });
  const paid = (await listInvoices({ db, principal: customer, query: { limit: 5 } })).data[0]!;
  expect(paid).toMatchObject({ status: 'paid', paidCents: 20 });
  expect(await db.webhookDelivery.count()).toBe(0); // no endpoints: events are only queued for subscribers

  // The PDF prints the names as issued: renaming the customer (or the seller's settings) changes nothing.
  const issuedName = (await db.tenant.findUniqueOrThrow({ where: { id: customer.tenantId } })).name;
  await db.tenant.update({ where: { id: customer.tenantId }, data: { name: 'Renamed Later' } });
  const { pdf, filename } = await renderInvoice({ db, principal: customer, invoiceId: inv.id, seller: { name: 'Seller Today', lines: [] } });
  expect(filename).toBe(`${inv.number}.pdf`);
  const text = Buffer.from(pdf).toString('latin1');
  expect(text.startsWith('%PDF-1.4')).toBe(true);
  expect(text).toContain(issuedName);
  expect(text).toContain('Hosting As Issued');
  expect(text).not.toContain('Renamed Later');
  expect(text).not.toContain('Seller Today');
});

it('waits for metering to reach the month end before invoicing', async () => {
  const { db } = t;
  const { customer, server } = await tenantWithUsage(db, new Date('2032-03-31T20:00:00Z'), new Date('2032-03-31T22:00:00Z'));
  await rollupMetrics({ db, now: new Date('2032-04-01T00:10:00Z') });
  await issueInvoices({ db, now: new Date('2032-04-01T00:10:00Z'), dueDays: 14 });
  expect((await listInvoices({ db, principal: customer, query: { limit: 5 } })).data).toHaveLength(0); // 22:00 and 23:00 not metered yet
  while (await meterServers({ db, now: new Date('2032-04-01T00:10:00Z') })) { /* drain */ }
  await issueInvoices({ db, now: new Date('2032-04-01T00:10:00Z'), dueDays: 14 });
  const [inv] = (await listInvoices({ db, principal: customer, query: { limit: 5 } })).data;
  expect(inv).toMatchObject({ totalCents: 40 });
  expect(server.id).toBe(inv!.lines[0]!.serverId);
});

it('numbers invoices without gaps when issuers race', async () => {
  const { db } = t;
  const tenants: string[] = [];
  for (let i = 0; i < 12; i++) tenants.push((await tenantWithUsage(db, new Date('2032-05-31T23:00:00Z'), new Date('2032-06-01T00:00:00Z'))).customer.tenantId);
  const other = createDb(t.url, { max: 4 });
  try {
    const now = new Date('2032-06-01T00:30:00Z');
    await rollupMetrics({ db, now });
    await Promise.all([issueInvoices({ db, now, dueDays: 14, batchSize: 5 }), issueInvoices({ db: other, now, dueDays: 14, batchSize: 5 }),
      issueInvoices({ db, now, dueDays: 14 }), issueInvoices({ db: other, now, dueDays: 14 })]);
    while (await issueInvoices({ db, now, dueDays: 14 })) { /* rest */ }
  } finally {
    await other.$disconnect();
  }
  const numbers = (await db.invoice.findMany({ select: { number: true }, orderBy: { number: 'asc' } })).map((i) => i.number);
  expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  // Each of the new tenants got exactly its one May invoice (earlier tests' tenants get theirs too).
  expect(await db.invoice.count({ where: { tenantId: { in: tenants }, periodStart: new Date('2032-05-01T00:00:00Z') } })).toBe(12);
  expect(numbers.length).toBeGreaterThan(12);
});

it('a prepaid credit pays the invoice when it is issued; the ledger and issued invoices cannot be edited', async () => {
  const { db } = t;
  const { customer } = await tenantWithUsage(db, new Date('2032-07-31T23:00:00Z'), new Date('2032-08-01T00:00:00Z'), 30);
  await addLedgerEntry({ db, principal: await admin(db), input: { tenantId: customer.tenantId, kind: 'credit', amountCents: 100, reason: 'welcome credit' } });
  await rollupMetrics({ db, now: new Date('2032-08-01T00:30:00Z') });
  await issueInvoices({ db, now: new Date('2032-08-01T00:30:00Z'), dueDays: 14 });
  expect((await listInvoices({ db, principal: customer, query: { limit: 5 } })).data[0]).toMatchObject({ status: 'paid', totalCents: 30 });
  expect(await getBillingSummary({ db, principal: customer })).toMatchObject({ balanceCents: 70, dueCents: 0 });
  await expect(db.$executeRaw`UPDATE ledger_entries SET amount_cents = 1000000 WHERE tenant_id = ${customer.tenantId}`).rejects.toThrow(/append-only/);
  await expect(db.$executeRaw`DELETE FROM ledger_entries WHERE tenant_id = ${customer.tenantId}`).rejects.toThrow(/append-only/);
  // Issued invoices: amounts, lines and dates never change; only the payment state does.
  await expect(db.$executeRaw`UPDATE invoices SET total_cents = 1 WHERE tenant_id = ${customer.tenantId}`).rejects.toThrow(/immutable/);
  await expect(db.$executeRaw`UPDATE invoice_lines SET amount_cents = 1 WHERE invoice_id IN (SELECT id FROM invoices WHERE tenant_id = ${customer.tenantId})`).rejects.toThrow(/immutable/);
  await expect(db.$executeRaw`DELETE FROM invoices WHERE tenant_id = ${customer.tenantId}`).rejects.toThrow(/immutable/);
});

it('only admins, and resellers for their own customers, move money; billing is private to the tenant', async () => {
  const { db } = t;
  const reseller = await makePrincipal(db, { role: 'reseller', scopes: ALL });
  const child = await db.tenant.create({ data: { id: newId('tenant'), name: 'child', parentId: reseller.tenantId } });
  const otherReseller = await makePrincipal(db, { role: 'reseller', scopes: ALL });
  const customer = await makePrincipal(db, { tenantId: child.id, scopes: ALL });
  const stranger = await makePrincipal(db, { scopes: ALL });
  const credit = (p: typeof reseller) => addLedgerEntry({ db, principal: p, input: { tenantId: child.id, kind: 'credit', amountCents: 500, reason: 'goodwill' } });
  expect((await credit(reseller)).amountCents).toBe(500);
  await expectAppError(credit(otherReseller), 'not_found');
  await expectAppError(credit(customer), 'forbidden');
  await expectAppError(recordPayment({ db, principal: reseller, input: { tenantId: child.id, amountCents: 1, provider: 'manual', reference: 'x' } }), 'forbidden');
  expect((await getBillingSummary({ db, principal: reseller, tenantId: child.id })).balanceCents).toBe(500);
  await expectAppError(getBillingSummary({ db, principal: stranger, tenantId: child.id }), 'not_found');
  const charge = await addLedgerEntry({ db, principal: reseller, input: { tenantId: child.id, kind: 'charge', amountCents: 120, reason: 'setup fee' } });
  expect(charge.amountCents).toBe(-120);
  expect((await getBillingSummary({ db, principal: customer })).balanceCents).toBe(380);
});

it('bills transfer beyond the plan\'s allowance per started GB, from the hourly metric rollup, once', async () => {
  const { db } = t;
  const w = await makeWorld(db, { cidr: `198.18.${cidr++}.0/24` });
  const plan = await makePlan(db, { priceCentsMonthly: 100_000 });
  await db.plan.update({ where: { id: plan.id }, data: { priceCentsHourly: 0, transferGb: 1, overageCentsPerGb: 50 } });
  const customer = await makePrincipal(db, { scopes: ALL });
  const { server } = await createFor(db, customer, plan.id, w.template.id);
  const from = new Date('2032-09-30T22:00:00Z');
  await db.server.update({ where: { id: server.id }, data: { createdAt: from, billedThrough: from } });
  await db.serverPlanChange.updateMany({ where: { serverId: server.id }, data: { at: from } });
  // The agent's counters over two hours: 1.5 GB in, 1.0 GB out -> 2.5 GB moved, 1.5 GB over -> 2 started GB.
  const samples = [['2032-09-30T22:00:00Z', 0, 0], ['2032-09-30T22:59:00Z', 1.0e9, 0.5e9], ['2032-09-30T23:59:00Z', 1.5e9, 1.0e9]] as const;
  for (const [at, rx, tx] of samples) {
    await recordMetrics({ db, event: { hostId: w.host.id, at, samples: [{ serverId: server.id, cpuNs: 0, memoryBytes: 0, diskUsedBytes: 0, ioReadBytes: 0, ioWriteBytes: 0, netRxBytes: rx, netTxBytes: tx }] } });
  }
  const now = new Date('2032-10-01T00:20:00Z');
  await rollupMetrics({ db, now });
  await rollupMetrics({ db, now }); // again: hours are rolled (and counted) once
  expect((await db.transferUsage.findUniqueOrThrow({ where: { serverId_month: { serverId: server.id, month: new Date('2032-09-01T00:00:00Z') } } })).bytes).toBe(2_500_000_000n);
  while (await meterServers({ db, now })) { /* drain */ }
  await issueInvoices({ db, now, dueDays: 14 });
  const [inv] = (await listInvoices({ db, principal: customer, query: { limit: 5 } })).data;
  const line = inv!.lines.find((l) => l.description.includes('transfer'));
  expect(line).toMatchObject({ hours: 2, unitCents: 50, amountCents: 100 });
  expect(inv!.totalCents).toBe(100);
  await issueInvoices({ db, now: new Date('2032-10-02T00:00:00Z'), dueDays: 14 });
  expect((await listInvoices({ db, principal: customer, query: { limit: 5 } })).data).toHaveLength(1);
});
