// Dunning with a real agent and VPS: an overdue invoice past its grace period stops the customer's VPS
// (SSH goes away, the customer cannot start it), and recording the payment brings it back up (SSH again).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBerthClient, type TBerthClient } from '@berth/client';
import { runDunning } from '@berth/core';
import { createDb, type TDb } from '@berth/db';
import { keyByLogin, makeTenantUser } from './support/accounts.ts';
import { pollUntil } from './support/api.ts';
import { invoiceSinceTwoMonthsAgo } from './support/billing.ts';
import { newSshKey, ssh } from './support/ssh.ts';
import { startStack, type TStack } from './support/stack.ts';

let stack: TStack;
let db: TDb;
let admin: TBerthClient;
let me: TBerthClient;
let tenantId = '';
const key = newSshKey();

beforeAll(async () => {
  stack = await startStack({ withAgent: true, poolRange: '200-219' });
  db = createDb(stack.env.DATABASE_URL!, { max: 2 });
  admin = createBerthClient({ baseUrl: stack.baseUrl, apiKey: stack.adminKey });
  const who = await makeTenantUser(admin, { role: 'customer', tenantName: 'late payer' });
  tenantId = who.tenantId;
  me = createBerthClient({ baseUrl: stack.baseUrl, apiKey: (await keyByLogin(stack.baseUrl, who.email, who.password, { scopes: ['servers:read', 'servers:write', 'billing:read'] })).key });
}, 180_000);
afterAll(async () => {
  await db?.$disconnect();
  await stack?.stop();
});

const status = async (id: string) => {
  const r = await me.call('getServer', { params: { id } });
  return r.ok ? r.body.status : `http ${r.status}`;
};

it('suspends an unpaid customer\'s VPS through the agent and brings it back when the payment is recorded', async () => {
  const plans = await me.call('listPlans');
  const templates = await me.call('listTemplates');
  if (!plans.ok || !templates.ok) throw new Error('catalog');
  const made = await me.call('createServer', { body: { hostname: 'late.example.com', planId: plans.body.data[0]!.id, templateId: templates.body.data[0]!.id, sshKeys: [key.publicKey] } });
  if (!made.ok) throw new Error(JSON.stringify(made.body));
  const id = made.body.server.id;
  const ip = made.body.server.ipv4!;
  await pollUntil('running', () => status(id), (s) => s === 'running', 180_000);
  await pollUntil('ssh', async () => ssh(key.keyFile, ip, 'hostname').stdout.trim(), (h) => h === 'late.example.com', 60_000);

  // Usage since two months ago (ended months are invoiced ten minutes after they end), invoiced due at
  // once, then the clock eight days on: past the seven-day grace.
  const now = new Date();
  await invoiceSinceTwoMonthsAgo({ db, serverId: id, day: 25, dueDays: 0, now });
  const before = await me.call('getBillingSummary');
  if (!before.ok) throw new Error('summary');
  const owed = before.body.dueCents;
  expect(owed).toBeGreaterThan(0);
  const d = await runDunning({ db, now: new Date(now.getTime() + 8 * 86_400_000), suspendAfterDays: 7, terminateAfterDays: 0 });
  expect(d).toMatchObject({ suspendedTenants: 1, suspendedServers: 1 });

  await pollUntil('suspended', () => status(id), (s) => s === 'suspended', 120_000);
  expect(ssh(key.keyFile, ip, 'true', 3).status).not.toBe(0); // the VPS is really down
  const start = await me.call('actOnServer', { params: { id }, body: { type: 'start' } });
  expect(start.status).toBe(409);
  expect(JSON.stringify(start.body)).toContain('unpaid');

  const paid = await admin.call('recordPayment', { body: { tenantId, amountCents: owed, reference: `late-${Date.now()}` } });
  expect(paid.status).toBe(201);
  await pollUntil('running again', () => status(id), (s) => s === 'running', 180_000);
  await pollUntil('ssh again', async () => ssh(key.keyFile, ip, 'hostname').stdout.trim(), (h) => h === 'late.example.com', 60_000);
  const summary = await me.call('getBillingSummary');
  expect(summary.ok && summary.body.dueCents).toBe(0);
}, 600_000);
