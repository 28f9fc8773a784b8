// Reseller pricing: the admin sets a reseller's wholesale price of a plan, the reseller its retail price;
// the reseller's customers see and pay retail, the reseller pays wholesale for their servers (and its own),
// each on its own invoice with its own monthly cap.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '@berth/contracts';
import { createTestDatabase } from '@berth/db/testing';
import { rollupMetrics } from '../metrics/rollup-metrics.ts';
import { listPlans } from '../catalog/list-plans.ts';
import { createFor, expectAppError, makePlan, makePrincipal, makeWorld } from '../testing/fixtures.ts';
import { issueInvoices } from './issue-invoices.ts';
import { listInvoices } from './list-invoices.ts';
import { meterServers } from './meter-servers.ts';
import { quoteServer } from './quote-server.ts';
import { setResellerPrice } from './set-reseller-price.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

const ALL = ['servers:read', 'servers:write', 'account:read', 'account:write', 'billing:read'];

it('bills the customer retail and the reseller wholesale for the same hours', async () => {
  const { db } = t;
  const w = await makeWorld(db, { cidr: '198.18.40.0/24' });
  const plan = await makePlan(db, { priceCentsMonthly: 672 }); // list: 1 cent an hour
  const admin = await makePrincipal(db, { role: 'admin', scopes: [...ALL, 'admin:*'] });
  const reseller = await makePrincipal(db, { role: 'reseller', scopes: ALL });
  const child = await db.tenant.create({ data: { id: newId('tenant'), name: 'Acme', parentId: reseller.tenantId } });
  const customer = await makePrincipal(db, { tenantId: child.id, scopes: ALL });

  await expectAppError(setResellerPrice({ db, principal: reseller, input: { planId: plan.id, kind: 'wholesale', monthlyCents: 1 } }), 'forbidden');
  await expectAppError(setResellerPrice({ db, principal: customer, input: { planId: plan.id, kind: 'retail', monthlyCents: 1 } }), 'forbidden');
  await setResellerPrice({ db, principal: admin, input: { resellerId: reseller.tenantId, planId: plan.id, kind: 'wholesale', monthlyCents: 336, hourlyCents: 1 } });
  await setResellerPrice({ db, principal: reseller, input: { planId: plan.id, kind: 'retail', monthlyCents: 3000, hourlyCents: 5 } });

  // The customer sees and is quoted the retail price; the reseller still sees the list price.
  expect((await listPlans({ db, principal: customer })).data.find((p) => p.id === plan.id)).toMatchObject({ priceCentsMonthly: 3000, priceCentsHourly: 5 });
  expect((await listPlans({ db, principal: reseller })).data.find((p) => p.id === plan.id)).toMatchObject({ priceCentsMonthly: 672, priceCentsHourly: 1 });
  expect(await quoteServer({ db, principal: customer, input: { hostname: 'q.example.com', planId: plan.id, templateId: w.template.id } })).toMatchObject({ hourlyCents: 5, monthlyCapCents: 3000 });

  const from = new Date('2034-01-31T21:00:00Z');
  const { server } = await createFor(db, customer, plan.id, w.template.id);
  const own = (await createFor(db, reseller, plan.id, w.template.id)).server;
  for (const s of [server, own]) {
    await db.server.update({ where: { id: s.id }, data: { createdAt: from, billedThrough: from } });
    await db.serverPlanChange.updateMany({ where: { serverId: s.id }, data: { at: from } });
  }
  const now = new Date('2034-02-01T00:30:00Z');
  while (await meterServers({ db, now })) { /* drain */ }
  const lines = await db.usageLine.findMany({ where: { serverId: server.id } });
  expect(lines.map((l) => [l.tenantId, l.hours, l.amountCents]).sort()).toEqual([[child.id, 3, 15], [reseller.tenantId, 3, 3]].sort());
  await rollupMetrics({ db, now });
  while (await issueInvoices({ db, now, dueDays: 14 })) { /* drain */ }
  const [retailInvoice] = (await listInvoices({ db, principal: customer, query: { limit: 5 } })).data;
  const [wholesaleInvoice] = (await listInvoices({ db, principal: reseller, query: { limit: 5 } })).data;
  expect(retailInvoice!.totalCents).toBe(15);
  expect(wholesaleInvoice!.totalCents).toBe(6); // the customer's server and its own, 3 hours each at 1
  expect(wholesaleInvoice!.lines.map((l) => l.description).join(' ')).toContain('(Acme)');

  // Removing the retail price puts the customer back on the list price.
  await setResellerPrice({ db, principal: reseller, input: { planId: plan.id, kind: 'retail', monthlyCents: null } });
  expect((await listPlans({ db, principal: customer })).data.find((p) => p.id === plan.id)).toMatchObject({ priceCentsMonthly: 672 });
});
