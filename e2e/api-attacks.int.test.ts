// The API attack suite: a hostile customer, reseller, sub-user or stranger against a private stack with the
// real agent (the console tickets need its console server). Every attack leaves a row in the table printed
// at the end (attack / expected / observed / result); ATTACK_ROUNDS scales the counted ones.
import { afterAll, beforeAll, describe } from 'vitest';
import { createBerthClient, type TBerthClient } from '@berth/client';
import { signConsoleToken } from '@berth/core';
import { createDb } from '@berth/db';
import { createReport } from '../agent/src/isolation/report.ts';
import { isProblem, lookalike, rawHttp, ROUNDS, sc, tryConsole } from './api-attacks-kit.ts';
import { keyByLogin, makeTenantUser, uniqueEmail } from './support/accounts.ts';
import { pollUntil } from './support/api.ts';
import { invoiceSinceTwoMonthsAgo } from './support/billing.ts';
import { makeSshPublicKey as sshPublicKey } from './support/ssh-key.ts';
import { moreAttacks, type TCtx } from './api-attacks-more.ts';
import { startStack, type TStack } from './support/stack.ts';

const report = createReport(`API attacks (ATTACK_ROUNDS=${ROUNDS})`);
const ALL = ['servers:read', 'servers:write', 'account:read', 'account:write', 'billing:read'];
const PASSWORD = 'a long sub-user password';

let stack: TStack;
let admin: TBerthClient;
const c = (key?: string) => createBerthClient({ baseUrl: stack.baseUrl, apiKey: key });
type TUser = Awaited<ReturnType<typeof makeTenantUser>>;
let A: TUser; // the victim customer (under reseller R)
let owner: TBerthClient; // A's full key
let readOnly: TBerthClient; // A's servers:read + account:read + billing:read key
let B: TBerthClient; // another customer, under another reseller
let R2: TBerthClient; // that other reseller
let S: TBerthClient; // A's sub-user without any right
let sId = '';
const t: Record<string, string> = {}; // A's objects by kind: server, operation, invoice, sshKey, webhook, apiKey, user
let hostname = '';
const ctx = {} as TCtx;

beforeAll(async () => {
  stack = await startStack({
    withAgent: true, poolRange: '230-239',
    env: { RATE_LIMIT_PER_KEY: '100000', RATE_LIMIT_PER_IP: '100000', LOGIN_LIMIT_PER_IP: '500' },
  });
  admin = c(stack.adminKey);
  const base = stack.baseUrl;
  const r = await makeTenantUser(admin, { role: 'reseller', tenantName: 'reseller R' });
  const rKey = await keyByLogin(base, r.email, r.password, { scopes: ALL });
  A = await makeTenantUser(c(rKey.key), { role: 'customer', tenantName: 'victim A' });
  owner = c((await keyByLogin(base, A.email, A.password, { scopes: ALL })).key);
  readOnly = c((await keyByLogin(base, A.email, A.password, { scopes: ['servers:read', 'account:read', 'billing:read'] })).key);
  const r2 = await makeTenantUser(admin, { role: 'reseller', tenantName: 'reseller R2' });
  R2 = c((await keyByLogin(base, r2.email, r2.password, { scopes: ALL })).key);
  const b = await makeTenantUser(R2, { role: 'customer', tenantName: 'attacker B' });
  B = c((await keyByLogin(base, b.email, b.password, { scopes: ALL })).key);
  const s = await makeTenantUser(owner, { role: 'customer', tenantName: 'sub-user S', tenantId: A.tenantId });
  sId = s.userId;
  S = c((await keyByLogin(base, s.email, s.password, { scopes: ALL })).key);

  const plans = await owner.call('listPlans');
  const templates = await owner.call('listTemplates');
  if (!plans.ok || !templates.ok) throw new Error('catalog');
  hostname = `victim-${Date.now().toString(36)}.example.com`;
  const made = await owner.call('createServer', { body: { hostname, planId: plans.body.data[0]!.id, templateId: templates.body.data[0]!.id } });
  if (!made.ok) throw new Error(`server: ${JSON.stringify(made.body)}`);
  t.server = made.body.server.id;
  t.operation = made.body.operation.id;
  const key = await owner.call('createSshKey', { body: { name: 'victim key', publicKey: sshPublicKey() } });
  const hook = await owner.call('createWebhook', { body: { url: 'https://hooks.example.com/victim', events: ['server.*'] } });
  if (!key.ok || !hook.ok) throw new Error('ssh key / webhook');
  t.sshKey = key.body.id;
  t.webhook = hook.body.webhook.id;
  t.apiKey = (await keyByLogin(base, A.email, A.password, { scopes: ['servers:read'], name: 'victim spare key' })).id;
  t.user = sId;
  t.tenant = A.tenantId;
  await pollUntil('victim server running', async () => (await owner.call('getServer', { params: { id: t.server! } })).body,
    (v) => (v as { status: string }).status === 'running', 180_000);
  // An invoice of A: its server back-dated two months and invoiced as the worker would.
  const db = createDb(stack.env.DATABASE_URL!, { max: 2 });
  await invoiceSinceTwoMonthsAgo({ db, serverId: t.server, day: 10, dueDays: 14 });
  t.invoice = (await db.invoice.findFirstOrThrow({ where: { tenantId: A.tenantId } })).id;
  await db.$disconnect();
  Object.assign(ctx, { stack, admin, A, owner, B, R2, S, sId, t, planId: plans.body.data[0]!.id, templateId: templates.body.data[0]!.id });
}, 300_000);

afterAll(async () => {
  report.print();
  await stack?.stop();
}, 300_000);

describe('API attacks', () => {
  report.it('IDOR: another tenant\'s objects by id are a 404 indistinguishable from a made-up id', async () => {
    const targets: [string, string, string][] = [
      ['GET', `/servers/${t.server}`, 'server'], ['PATCH', `/servers/${t.server}`, 'server'], ['DELETE', `/servers/${t.server}`, 'server'],
      ['POST', `/servers/${t.server}/actions`, 'server'], ['POST', `/servers/${t.server}/console`, 'server'], ['GET', `/servers/${t.server}/metrics`, 'server'],
      ['GET', `/operations/${t.operation}`, 'operation'], ['GET', `/invoices/${t.invoice}`, 'invoice'], ['GET', `/invoices/${t.invoice}/pdf`, 'invoice'],
      ['DELETE', `/ssh-keys/${t.sshKey}`, 'sshKey'], ['DELETE', `/webhooks/${t.webhook}`, 'webhook'], ['GET', `/webhooks/${t.webhook}/deliveries`, 'webhook'],
      ['POST', `/webhooks/${t.webhook}/test`, 'webhook'], ['DELETE', `/api-keys/${t.apiKey}`, 'apiKey'], ['GET', `/tenants/${t.tenant}`, 'tenant'],
      ['DELETE', `/users/${t.user}`, 'user'], ['GET', `/users/${t.user}/permissions`, 'user'],
    ];
    const bodies: Record<string, unknown> = { PATCH: { hostname: 'pwned.example.com' }, POST: { type: 'stop' } };
    const rows: [string, string, string, boolean][] = [];
    for (const [method, path, kind] of targets) {
      const body = path.endsWith('/actions') ? bodies.POST : method === 'PATCH' ? bodies.PATCH : undefined;
      const real = await B.raw(method, path, { body });
      const fake = await B.raw(method, path.replace(t[kind]!, lookalike(t[kind]!)), { body });
      const leak = JSON.stringify(real.body).includes(hostname) || JSON.stringify(real.body).includes(A.email);
      rows.push([`customer B: ${method} ${path.replace(t[kind]!, `{A's ${kind}}`)}`, '404, same as a made-up id, no data',
        `${sc(real)} (made-up id: ${sc(fake)})${leak ? ' LEAKS DATA' : ''}`,
        real.status === 404 && fake.status === 404 && (real.body as any)?.code === (fake.body as any)?.code && isProblem(real) && !leak]);
    }
    // Guessing: ids near A's, as an enumerating attacker would.
    let guessed = 0;
    for (let i = 1; i <= 20 * ROUNDS; i++) {
      const res = await B.raw('GET', `/servers/${lookalike(t.server!, i)}`);
      if (res.status !== 404) guessed += 1;
    }
    rows.push([`customer B guesses ${20 * ROUNDS} server ids near A's`, 'all 404', `${guessed} not 404`, guessed === 0]);
    // Afterwards every object of A is intact.
    const intact = [
      (await owner.call('getServer', { params: { id: t.server! } })).body as any,
    ];
    const keys = await owner.call('listSshKeys');
    const hooks = await owner.call('listWebhooks');
    const apiKeys = await owner.call('listApiKeys');
    const state = `server ${intact[0].hostname} ${intact[0].status}; ssh key ${keys.ok && keys.body.data.some((k) => k.id === t.sshKey)}; webhook ${hooks.ok && hooks.body.data.some((h) => h.id === t.webhook)}; api key ${apiKeys.ok && apiKeys.body.data.some((k) => k.id === t.apiKey)}`;
    rows.push(['A\'s objects after the IDOR attempts', 'all intact, server running, unrenamed', state, state === `server ${hostname} running; ssh key true; webhook true; api key true`]);
    report.checkAll(rows);
  });

  report.it('IDOR by a reseller: another reseller\'s customer', async () => {
    const tries: [string, string, unknown][] = [
      ['GET', `/tenants/${t.tenant}`, undefined], ['PATCH', `/tenants/${t.tenant}`, { quotas: { maxServers: 1000 } }],
      ['GET', `/servers/${t.server}`, undefined], ['POST', '/users', { email: uniqueEmail('r2'), name: 'planted', tenantId: t.tenant, password: PASSWORD }],
      ['POST', '/billing/ledger', { tenantId: t.tenant, kind: 'charge', amountCents: 100000, reason: 'steal' }],
      ['DELETE', `/users/${t.user}`, undefined], ['GET', `/invoices/${t.invoice}`, undefined],
    ];
    const rows: [string, string, string, boolean][] = [];
    for (const [method, path, body] of tries) {
      const res = await R2.raw(method, path, { body });
      rows.push([`reseller R2: ${method} ${path.replace(/(ten|srv|usr|inv)_\w+/, '{A\'s id}')}`, '404 (not its customer)', sc(res), res.status === 404 && isProblem(res)]);
    }
    const list = await R2.raw('GET', '/servers', { query: { tenantId: t.tenant } });
    const data = (list.body as { data?: unknown[] } | null)?.data;
    const n = Array.isArray(data) ? data.length : -1;
    rows.push(['reseller R2: GET /servers?tenantId={A\'s tenant}', '404/422, or an empty list', `${sc(list)}, ${n} servers`, list.status >= 400 ? list.status < 500 : n === 0]);
    report.checkAll(rows);
  });
});

describe('scope and role escalation', () => {
  report.it('a read-only key writing', async () => {
    const tries: [string, string, unknown][] = [
      ['POST', `/servers/${t.server}/actions`, { type: 'stop' }], ['DELETE', `/servers/${t.server}`, undefined], ['PATCH', '/tenant', { privateNetwork: true }],
      ['POST', '/api-keys', { name: 'escalate', scopes: ALL }], ['POST', '/ssh-keys', { name: 'x', publicKey: sshPublicKey() }],
    ];
    const rows: [string, string, string, boolean][] = [];
    for (const [method, path, body] of tries) {
      const res = await readOnly.raw(method, path, { body });
      rows.push([`read-only key: ${method} ${path.replace(t.server!, '{id}')}`, '403 forbidden', sc(res), res.status === 403 && isProblem(res)]);
    }
    report.checkAll(rows);
  });

  report.it('a key minting a stronger key, a customer minting an admin', async () => {
    const noServers = c((await keyByLogin(stack.baseUrl, A.email, A.password, { scopes: ['account:read', 'account:write'] })).key);
    const mint = await noServers.raw('POST', '/api-keys', { body: { name: 'stronger', scopes: ['servers:write', 'servers:read'] } });
    let power = 'not minted';
    if (mint.ok) power = `minted key: POST actions -> ${sc(await c((mint.body as { key: string }).key).raw('POST', `/servers/${t.server}/actions`, { body: { type: 'restart' } }))}`;
    const adminScope = await owner.raw('POST', '/api-keys', { body: { name: 'admin', scopes: ['admin:*'] } });
    const adminUser = await owner.raw('POST', '/users', { body: { email: uniqueEmail('esc'), name: 'boss', tenantId: A.tenantId, role: 'admin', password: PASSWORD } });
    report.checkAll([
      ['key without servers:* mints a key with servers:write', 'refused (403/422): a key never widens itself', `${sc(mint)}; ${power}`, mint.status === 403 || mint.status === 422],
      ['customer key asks for scope admin:*', '422 (not allowed for this user)', sc(adminScope), adminScope.status === 422 || adminScope.status === 403],
      ['customer creates a user with role admin', '403/422', sc(adminUser), adminUser.status === 403 || adminUser.status === 422],
    ]);
  });

  report.it('a customer calling admin and reseller routes, lifting its own quota', async () => {
    const tries: [string, string, unknown][] = [
      ['GET', '/hosts', undefined], ['PATCH', `/hosts/${stack.hostId}`, { cpuOvercommit: 64 }], ['POST', '/templates', { name: 'evil', label: 'Evil', imageRef: 'debian-12' }],
      ['POST', '/billing/payments', { tenantId: A.tenantId, amountCents: 1000000, reference: 'free-money' }], ['POST', `/servers/${t.server}/migrate`, { hostId: stack.hostId }],
      ['GET', '/ip-pools', undefined], ['POST', '/tenants', { name: 'my own customers' }],
      ['POST', '/billing/ledger', { tenantId: A.tenantId, kind: 'credit', amountCents: 1000000, reason: 'self credit' }],
      ['PATCH', `/tenants/${A.tenantId}`, { quotas: { maxServers: null } }], ['POST', '/plans', { name: 'free', cpuCores: 64, memoryMb: 65536, diskGb: 1000, priceCentsMonthly: 0 }],
    ];
    const rows: [string, string, string, boolean][] = [];
    for (const [method, path, body] of tries) {
      const res = await owner.raw(method, path, { body });
      rows.push([`customer: ${method} ${path.replace(/(srv|host|ten)_\w+/, '{id}')}`, '403 forbidden', sc(res), res.status === 403 && isProblem(res)]);
    }
    await admin.call('updateTenantById', { params: { id: A.tenantId }, body: { quotas: { maxServers: 5, maxMemoryMb: 65536 } } });
    const before = (await owner.call('getTenant', { params: { id: A.tenantId } })).body as any;
    const sneak = await owner.raw('PATCH', '/tenant', { body: { privateNetwork: false, quotas: { maxServers: null, maxMemoryMb: null } } });
    const after = (await owner.call('getTenant', { params: { id: A.tenantId } })).body as any;
    rows.push(['customer: PATCH /tenant with extra {quotas: unlimited}', 'quotas unchanged (422 or ignored)', `${sc(sneak)}; quotas ${JSON.stringify(after.quotas)}`,
      JSON.stringify(after.quotas) === JSON.stringify(before.quotas) && sneak.status < 500]);
    report.checkAll(rows);
  });

  report.it('a sub-user without a right, and one with view only', async () => {
    const tries: [string, string, unknown, string][] = [
      ['GET', `/servers/${t.server}`, undefined, '404'], ['POST', `/servers/${t.server}/actions`, { type: 'stop' }, '404'],
      ['POST', `/servers/${t.server}/console`, undefined, '404'], ['POST', '/servers', { hostname: 'sub.example.com', planId: ctx.planId, templateId: ctx.templateId }, '403'],
      ['GET', `/invoices/${t.invoice}`, undefined, '403'], ['POST', '/webhooks', { url: 'https://evil.example.com/', events: ['server.*'] }, '403'],
      ['PUT', `/users/${sId}/permissions`, { tenant: ['servers:create'], servers: [{ serverId: t.server, permissions: ['view', 'power', 'console'] }] }, '403/404'],
      ['POST', '/users', { email: uniqueEmail('sub'), name: 'sub of sub', tenantId: A.tenantId, password: PASSWORD }, '403'],
    ];
    const rows: [string, string, string, boolean][] = [];
    for (const [method, path, body, want] of tries) {
      const res = await S.raw(method, path, { body });
      rows.push([`sub-user (no rights): ${method} ${path.replace(/(srv|inv|usr)_\w+/, '{id}')}`, want, sc(res), want.split('/').includes(String(res.status)) && isProblem(res)]);
    }
    await owner.call('setUserPermissions', { params: { id: sId }, body: { tenant: [], servers: [{ serverId: t.server!, permissions: ['view'] }] } });
    for (const [method, path, body] of [['POST', `/servers/${t.server}/actions`, { type: 'stop' }], ['POST', `/servers/${t.server}/console`, undefined], ['DELETE', `/servers/${t.server}`, undefined]] as const) {
      const res = await S.raw(method, path, { body });
      rows.push([`sub-user (view only): ${method} ${path.replace(t.server!, '{id}')}`, '403', sc(res), res.status === 403 && isProblem(res)]);
    }
    await owner.call('setUserPermissions', { params: { id: sId }, body: { tenant: [], servers: [] } });
    const server = (await owner.call('getServer', { params: { id: t.server! } })).body as any;
    rows.push(['A\'s server after the sub-user attempts', 'running', server.status, server.status === 'running']);
    report.checkAll(rows);
  });
});

moreAttacks(ctx, report);
