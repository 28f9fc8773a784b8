// Dunning against real Postgres (the agent's reports applied through the real verb): an overdue invoice is
// reminded once, suspends the tenant's servers after the grace period (no starting, no ordering), payment
// brings back exactly the ones that ran, and termination, when configured, destroys long-suspended ones.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '@berth/contracts';
import { createTestDatabase } from '@berth/db/testing';
import { rollupMetrics } from '../metrics/rollup-metrics.ts';
import { actOnServer } from '../servers/act-on-server.ts';
import { createFor, expectAppError, finish, makePlan, makePrincipal, makeWorld } from '../testing/fixtures.ts';
import { issueInvoices } from './issue-invoices.ts';
import { meterServers } from './meter-servers.ts';
import { recordPayment } from './record-payment.ts';
import { runDunning } from './run-dunning.ts';
import { addLedgerEntry } from './add-ledger-entry.ts';
import { suspendExhaustedPrepaid } from './suspend-exhausted-prepaid.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

const DAY = 86_400_000;
const ISSUED = new Date('2033-02-01T01:00:00Z');

const lastOp = async (serverId: string) => t.db.operation.findFirstOrThrow({ where: { serverId }, orderBy: { createdAt: 'desc' } });

it('reminds, suspends after the grace period, and a payment brings back what ran', async () => {
  const { db } = t;
  const w = await makeWorld(db, { cidr: '198.18.30.0/24' });
  const plan = await makePlan(db, { priceCentsMonthly: 672 });
  const customer = await makePrincipal(db, { scopes: ['servers:read', 'servers:write', 'billing:read'] });
  const admin = await makePrincipal(db, { role: 'admin', scopes: ['account:write', 'admin:*'] });
  const running = (await createFor(db, customer, plan.id, w.template.id)).server;
  const stopped = (await createFor(db, customer, plan.id, w.template.id)).server;
  for (const s of [running, stopped]) {
    const op = await lastOp(s.id);
    await finish(db, { operationId: op.id, serverId: s.id, hostId: op.hostId }, 'succeeded');
    await db.server.update({ where: { id: s.id }, data: { createdAt: new Date('2033-01-31T20:00:00Z'), billedThrough: new Date('2033-01-31T20:00:00Z') } });
    await db.serverPlanChange.updateMany({ where: { serverId: s.id }, data: { at: new Date('2033-01-31T20:00:00Z') } });
  }
  await db.server.update({ where: { id: stopped.id }, data: { status: 'stopped' } });
  while (await meterServers({ db, now: ISSUED })) { /* drain */ }
  await rollupMetrics({ db, now: ISSUED });
  await issueInvoices({ db, now: ISSUED, dueDays: 14 });
  const invoice = await db.invoice.findFirstOrThrow({ where: { tenantId: customer.tenantId } });
  expect(invoice.totalCents).toBe(8); // 2 servers x 4 hours x 1 cent

  const dun = (days: number) => runDunning({ db, now: new Date(ISSUED.getTime() + days * DAY), suspendAfterDays: 7, terminateAfterDays: 0 });
  expect((await dun(13)).reminded).toBe(0); // due after 14 days
  expect((await dun(15)).reminded).toBe(1);
  expect(await dun(20)).toMatchObject({ reminded: 0, suspendedTenants: 0 }); // reminded once; still in grace
  expect((await db.tenant.findUniqueOrThrow({ where: { id: customer.tenantId } })).suspendedAt).toBeNull();

  const s = await dun(22);
  expect(s).toMatchObject({ suspendedTenants: 1, suspendedServers: 2 });
  for (const srv of [running, stopped]) {
    const op = await lastOp(srv.id);
    expect(op).toMatchObject({ type: 'stop', params: { suspend: 'true' } });
    await finish(db, { operationId: op.id, serverId: srv.id, hostId: op.hostId }, 'succeeded', { state: 'stopped' });
    expect((await db.server.findUniqueOrThrow({ where: { id: srv.id } })).status).toBe('suspended');
  }
  const err = await expectAppError(actOnServer({ db, principal: customer, serverId: running.id, action: { type: 'start' } }), 'invalid_state');
  expect(err.message).toContain('unpaid');
  await expectAppError(createFor(db, customer, plan.id, w.template.id), 'insufficient_funds');
  expect((await dun(23)).suspendedServers).toBe(0); // nothing left to stop

  await recordPayment({ db, principal: admin, input: { tenantId: customer.tenantId, amountCents: 8, provider: 'manual', reference: 'dun-1' }, now: new Date(ISSUED.getTime() + 24 * DAY) });
  expect((await db.tenant.findUniqueOrThrow({ where: { id: customer.tenantId } })).suspendedAt).toBeNull();
  const start = await lastOp(running.id);
  expect(start).toMatchObject({ type: 'start', params: { unsuspend: 'true' }, status: 'queued' });
  await finish(db, { operationId: start.id, serverId: running.id, hostId: start.hostId }, 'succeeded', { state: 'running' });
  expect((await db.server.findUniqueOrThrow({ where: { id: running.id } })).status).toBe('running');
  expect((await db.server.findUniqueOrThrow({ where: { id: stopped.id } })).status).toBe('stopped'); // it was stopped before
});

it('destroys servers suspended longer than the termination period, only when that is configured', async () => {
  const { db } = t;
  const w = await makeWorld(db, { cidr: '198.18.31.0/24' });
  const plan = await makePlan(db, { priceCentsMonthly: 672 });
  const customer = await makePrincipal(db, { scopes: ['servers:read', 'servers:write'] });
  const { server } = await createFor(db, customer, plan.id, w.template.id);
  const op = await lastOp(server.id);
  await finish(db, { operationId: op.id, serverId: server.id, hostId: op.hostId }, 'succeeded');
  await db.server.update({ where: { id: server.id }, data: { status: 'suspended', resumeStatus: 'running' } });
  const since = new Date('2033-05-01T00:00:00Z');
  await db.tenant.update({ where: { id: customer.tenantId }, data: { suspendedAt: since } });
  // Still owing: an invoice overdue since before the suspension (else the tick would lift it).
  await db.invoice.create({
    data: { id: newId('invoice'), number: 900_001, tenantId: customer.tenantId, periodStart: new Date('2033-03-01T00:00:00Z'), periodEnd: new Date('2033-04-01T00:00:00Z'),
      currency: 'USD', totalCents: 500, dueAt: new Date('2033-04-15T00:00:00Z') },
  });
  const at = new Date(since.getTime() + 40 * DAY);
  expect((await runDunning({ db, now: at, suspendAfterDays: 7, terminateAfterDays: 0 })).terminated).toBe(0);
  expect((await runDunning({ db, now: at, suspendAfterDays: 7, terminateAfterDays: 60 })).terminated).toBe(0);
  expect((await runDunning({ db, now: at, suspendAfterDays: 7, terminateAfterDays: 30 })).terminated).toBe(1);
  expect(await lastOp(server.id)).toMatchObject({ type: 'destroy', params: { reason: 'unpaid' } });
  expect((await db.server.findUniqueOrThrow({ where: { id: server.id } })).status).toBe('deleting');
});

it('lifts a suspension that nothing overdue justifies any more, and never suspends a tenant that has just paid', async () => {
  const { db } = t;
  const w = await makeWorld(db, { cidr: '198.18.32.0/24' });
  const plan = await makePlan(db, { priceCentsMonthly: 672 });
  const customer = await makePrincipal(db, { scopes: ['servers:read', 'servers:write'] });
  const { server } = await createFor(db, customer, plan.id, w.template.id);
  const created = await lastOp(server.id);
  await finish(db, { operationId: created.id, serverId: server.id, hostId: created.hostId }, 'succeeded');
  await db.server.update({ where: { id: server.id }, data: { status: 'suspended', resumeStatus: 'stopped' } });
  await db.tenant.update({ where: { id: customer.tenantId }, data: { suspendedAt: new Date('2033-06-01T00:00:00Z') } });
  const d = await runDunning({ db, now: new Date('2033-06-02T00:00:00Z'), suspendAfterDays: 7, terminateAfterDays: 0 });
  expect(d.resumedServers).toBe(1);
  expect((await db.tenant.findUniqueOrThrow({ where: { id: customer.tenantId } })).suspendedAt).toBeNull();
  expect((await db.server.findUniqueOrThrow({ where: { id: server.id } })).status).toBe('stopped');
  // A paid invoice long past its due date suspends nobody.
  await db.invoice.create({
    data: { id: newId('invoice'), number: 900_002, tenantId: customer.tenantId, periodStart: new Date('2033-04-01T00:00:00Z'), periodEnd: new Date('2033-05-01T00:00:00Z'),
      currency: 'USD', totalCents: 500, paidCents: 500, status: 'paid', dueAt: new Date('2033-05-15T00:00:00Z') },
  });
  expect((await runDunning({ db, now: new Date('2033-07-01T00:00:00Z'), suspendAfterDays: 7, terminateAfterDays: 0 })).suspendedTenants).toBe(0);
});

it('suspends a prepaid account as soon as its charges pass its credit, and a top-up brings it back', async () => {
  const { db } = t;
  const w = await makeWorld(db, { cidr: '198.18.33.0/24' });
  const plan = await makePlan(db, { priceCentsMonthly: 6720 }); // 10 cents an hour
  const customer = await makePrincipal(db, { scopes: ['servers:read', 'servers:write', 'billing:read'] });
  const admin = await makePrincipal(db, { role: 'admin', scopes: ['account:write', 'admin:*'] });
  await db.tenant.update({ where: { id: customer.tenantId }, data: { billingMode: 'prepaid' } });
  await addLedgerEntry({ db, principal: admin, input: { tenantId: customer.tenantId, kind: 'credit', amountCents: 25, reason: 'top-up' } });
  const { server } = await createFor(db, customer, plan.id, w.template.id);
  const created = await lastOp(server.id);
  await finish(db, { operationId: created.id, serverId: server.id, hostId: created.hostId }, 'succeeded', { state: 'running' });
  const from = new Date('2033-09-10T10:00:00Z');
  await db.server.update({ where: { id: server.id }, data: { createdAt: from, billedThrough: from } });
  await db.serverPlanChange.updateMany({ where: { serverId: server.id }, data: { at: from } });

  const tick = async (now: Date) => {
    const charged: string[] = [];
    while (await meterServers({ db, now, onCharged: (ids) => charged.push(...ids) })) { /* drain */ }
    return suspendExhaustedPrepaid({ db, now, tenantIds: charged });
  };
  expect(await tick(new Date('2033-09-10T12:05:00Z'))).toBe(0); // 20 of 25 used
  expect(await tick(new Date('2033-09-10T13:05:00Z'))).toBe(1); // 30 > 25: out of credit
  const d = await runDunning({ db, now: new Date('2033-09-10T13:06:00Z'), suspendAfterDays: 7, terminateAfterDays: 0 });
  expect(d.suspendedServers).toBe(1);
  const stop = await lastOp(server.id);
  await finish(db, { operationId: stop.id, serverId: server.id, hostId: stop.hostId }, 'succeeded', { state: 'stopped' });
  expect((await db.server.findUniqueOrThrow({ where: { id: server.id } })).status).toBe('suspended');
  // Not quite enough: still suspended; enough: lifted in the same transaction, the server starts again.
  await addLedgerEntry({ db, principal: admin, input: { tenantId: customer.tenantId, kind: 'credit', amountCents: 4, reason: 'part' }, now: new Date('2033-09-10T13:10:00Z') });
  expect((await db.tenant.findUniqueOrThrow({ where: { id: customer.tenantId } })).suspendedAt).not.toBeNull();
  await addLedgerEntry({ db, principal: admin, input: { tenantId: customer.tenantId, kind: 'credit', amountCents: 100, reason: 'top-up' }, now: new Date('2033-09-10T13:11:00Z') });
  expect((await db.tenant.findUniqueOrThrow({ where: { id: customer.tenantId } })).suspendedAt).toBeNull();
  expect(await lastOp(server.id)).toMatchObject({ type: 'start', params: { unsuspend: 'true' } });
});
