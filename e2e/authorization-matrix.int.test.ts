// The authorization matrix: every route of the OpenAPI document x every kind of caller -> the expected
// outcome. Routes are enumerated from /api/v1/openapi.json, so a new route without a sample here fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildPath, createBerthClient, type TBerthClient } from '@berth/client';
import { newId } from '@berth/contracts';
import { createDb } from '@berth/db';
import { startStack, type TStack } from './support/stack.ts';
import { keyByLogin, makeTenantUser, uniqueEmail } from './support/accounts.ts';
import { invoiceSinceTwoMonthsAgo } from './support/billing.ts';
import { makeHost } from '../prisma/seed/factories.ts';

type TWho = 'owner' | 'subUser' | 'resellerOfOwner' | 'admin' | 'otherCustomer' | 'otherReseller' | 'noKey' | 'expiredKey' | 'wrongScope';
const WHO: TWho[] = ['noKey', 'expiredKey', 'wrongScope', 'subUser', 'otherCustomer', 'otherReseller', 'admin', 'resellerOfOwner', 'owner'];
const ROLE: Partial<Record<TWho, string>> = {
  owner: 'customer', subUser: 'customer', otherCustomer: 'customer', resellerOfOwner: 'reseller', otherReseller: 'reseller', admin: 'admin',
};

type TSample = {
  /** Path params for one call (a fresh target per call where the call would consume it). */
  params?: () => Promise<Record<string, string>>;
  body?: () => unknown;
  /** Callers that can see the target named in the path (or body); others must get 404. */
  visible?: TWho[];
  /** Callers whose role and scope pass but who may still not do this (403). */
  forbid?: TWho[];
};

let stack: TStack;
let matrixDb: ReturnType<typeof createDb> | undefined; // kept open: fresh snapshots and backups are made per call
let clients: Record<TWho, TBerthClient>;
let samples: Record<string, TSample>;
let doc: { paths: Record<string, Record<string, { operationId: string; 'x-berth-scope': string; 'x-berth-roles'?: string[]; 'x-berth-read-only'?: boolean }>> };
const rows: string[] = [];

const sshKey = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'berth-mx-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id')]);
  return readFileSync(path.join(dir, 'id.pub'), 'utf8').trim();
};

beforeAll(async () => {
  stack = await startStack({ withAgent: false });
  const client = (apiKey?: string) => createBerthClient({ baseUrl: stack.baseUrl, apiKey });
  const admin = client(stack.adminKey);
  const base = stack.baseUrl;
  const all = ['servers:read', 'servers:write', 'account:read', 'account:write', 'billing:read'];

  const r = await makeTenantUser(admin, { role: 'reseller', tenantName: 'reseller R' });
  const rKey = await keyByLogin(base, r.email, r.password, { scopes: all });
  const a = await makeTenantUser(client(rKey.key), { role: 'customer', tenantName: 'customer A' });
  const aKeys = {
    full: await keyByLogin(base, a.email, a.password, { scopes: all }),
    noServers: await keyByLogin(base, a.email, a.password, { scopes: ['account:read', 'account:write', 'billing:read'] }),
    noAccount: await keyByLogin(base, a.email, a.password, { scopes: ['servers:read', 'servers:write', 'billing:read'] }),
    noBilling: await keyByLogin(base, a.email, a.password, { scopes: ['servers:read', 'servers:write', 'account:read', 'account:write'] }),
    expiring: await keyByLogin(base, a.email, a.password, { scopes: all, expiresAt: new Date(Date.now() + 1500).toISOString() }),
  };
  // The owner's sub-user, holding every scope but no right on any server.
  const sub = await makeTenantUser(client(aKeys.full.key), { role: 'customer', tenantName: 'helper', tenantId: a.tenantId });
  const b = await makeTenantUser(admin, { role: 'customer', tenantName: 'customer B' });
  const r2 = await makeTenantUser(admin, { role: 'reseller', tenantName: 'reseller R2' });
  clients = {
    owner: client(aKeys.full.key),
    subUser: client((await keyByLogin(base, sub.email, sub.password, { scopes: all })).key),
    resellerOfOwner: client(rKey.key),
    admin,
    otherCustomer: client((await keyByLogin(base, b.email, b.password, { scopes: all })).key),
    otherReseller: client((await keyByLogin(base, r2.email, r2.password, { scopes: all })).key),
    noKey: client(),
    expiredKey: client(aKeys.expiring.key),
    wrongScope: client(aKeys.full.key), // replaced per route below
  };
  const wrongScopeFor = (scope: string) =>
    client(scope.startsWith('servers:') ? aKeys.noServers.key : scope === 'billing:read' ? aKeys.noBilling.key : aKeys.noAccount.key);
  (clients as Record<string, unknown>).wrongScopeFor = wrongScopeFor;

  const plans = await admin.call('listPlans');
  const templates = await admin.call('listTemplates');
  if (!plans.ok || !templates.ok) throw new Error('catalog');
  const [planA, planB] = plans.body.data;
  const templateId = templates.body.data[0]!.id;
  // The owner's server: with no agent its create stays queued, so allowed writes answer 409, not act.
  const s = await clients.owner.call('createServer', { body: { hostname: 'matrix.example.com', planId: planA!.id, templateId } });
  if (!s.ok) throw new Error(`server: ${JSON.stringify(s.body)}`);
  // A private plan of the owner's reseller: its customers see it, outsiders do not.
  const privatePlan = await clients.resellerOfOwner.call('createPlan', { body: { name: 'R private', cpuCores: 1, memoryMb: 512, diskGb: 5, priceCentsMonthly: 250 } });
  if (!privatePlan.ok) throw new Error(`plan: ${JSON.stringify(privatePlan.body)}`);
  // An invoice of the owner: its server moved back to last month, metered and invoiced through core.
  const db = createDb(stack.env.DATABASE_URL!, { max: 2 });
  matrixDb = db;
  await invoiceSinceTwoMonthsAgo({ db, serverId: s.body.server.id, day: 10, dueDays: 14 });
  const invoice = await db.invoice.findFirstOrThrow({ where: { tenantId: a.tenantId } });
  // Hosts for the host routes, so the stack's own host is never drained: one on the stack's pool with less
  // room than it (placement keeps choosing the stack's host; a migration can target this one, and fails at
  // dispatch, since it has no agent), and one to evacuate and install on (its SSH port refuses at once).
  const pool = await db.ipPool.findFirstOrThrow({ where: { hostId: stack.hostId } });
  const spare = await makeHost(db, { cidr: '198.51.100.0/29', memoryMb: 2048, cpuCores: 2 });
  await db.ipPoolHost.create({ data: { poolId: pool.id, hostId: spare.id } });
  let n = 0;
  const drainable = await makeHost(db, { cidr: '198.51.100.8/29', status: 'maintenance' });
  // The owner's snapshots and backups as rows (no agent made them): one to read and restore, fresh ones to delete.
  const stackHost = await db.host.findUniqueOrThrow({ where: { id: stack.hostId } });
  const ownerSnapshot = async () => (await db.snapshot.create({
    data: { id: newId('snapshot'), serverId: s.body.server.id, hostId: stack.hostId, name: `mx-${++n}`, status: 'ready', sizeBytes: 1n },
  })).id;
  const ownerBackup = async () => (await db.backup.create({
    data: {
      id: newId('backup'), serverId: s.body.server.id, tenantId: a.tenantId, targetId: stackHost.backupTargetId!, kind: 'full', trigger: 'manual',
      status: 'ready', hostname: 'matrix.example.com', planId: planA!.id, templateId, manifestSha256: '0'.repeat(64), diskBytes: 1n, dataBytes: 1n, storedBytes: 1n,
    },
  })).id;
  const snapshotId = await ownerSnapshot();
  const backupId = await ownerBackup();
  const install = await admin.call('addHost', { body: { name: 'mx-first', address: '127.0.0.1', sshPort: 1, password: 'x' } });
  if (!install.ok) throw new Error(`addHost: ${JSON.stringify(install.body)}`);
  const mint = async () => (await keyByLogin(base, a.email, a.password, { scopes: ['servers:read'] })).id;
  const ownerSsh = async () => {
    const k = await clients.owner.call('createSshKey', { body: { name: 'k', publicKey: sshKey() } });
    if (!k.ok) throw new Error('ssh key');
    return k.body.id;
  };
  const ownerWebhook = async () => {
    const h = await clients.owner.call('createWebhook', { body: { url: 'https://hooks.example.com/berth', events: ['server.*'] } });
    if (!h.ok) throw new Error(`webhook: ${JSON.stringify(h.body)}`);
    return { id: h.body.webhook.id };
  };
  let shared: Promise<{ id: string }> | undefined;
  const sharedWebhook = () => (shared ??= ownerWebhook()); // for calls that do not consume it
  const spareUser = async () => (await makeTenantUser(clients.owner, { role: 'customer', tenantName: 'x', tenantId: a.tenantId })).userId; // a sub-user

  // Its own server, so cancelling its create leaves the owner's main server queued for the other routes.
  let toCancel: Promise<{ operation: { id: string } }> | undefined;
  const cancellable = () => (toCancel ??= clients.owner.call('createServer', { body: { hostname: 'cancel.example.com', planId: planA!.id, templateId } })
    .then((c) => { if (!c.ok) throw new Error(`server: ${JSON.stringify(c.body)}`); return c.body; }));
  const serverScoped: TWho[] = ['owner', 'resellerOfOwner', 'admin'];
  const server = async () => ({ id: s.body.server.id });
  samples = {
    listServers: {}, listPlans: {}, listTemplates: {}, listHosts: {}, listTenants: {}, listUsers: {}, listApiKeys: {}, listSshKeys: {}, listAuditEvents: {},
    createServer: { body: () => ({ hostname: `m${Date.now().toString(36)}.example.com`, planId: planA!.id, templateId }), forbid: ['subUser'] },
    quoteServer: { body: () => ({ hostname: 'quote.example.com', planId: planA!.id, templateId }), forbid: ['subUser'] },
    getServer: { params: server, visible: serverScoped },
    getServerMetrics: { params: server, visible: serverScoped },
    openConsole: { params: server, visible: serverScoped }, // 409 (not running) for those allowed
    deleteServer: { params: server, visible: serverScoped },
    actOnServer: { params: server, body: () => ({ type: 'start' }), visible: serverScoped },
    resizeServer: { params: server, body: () => ({ planId: planB!.id }), visible: serverScoped },
    reinstallServer: { params: server, body: () => ({}), visible: serverScoped },
    getOperation: { params: async () => ({ id: s.body.operation.id }), visible: serverScoped },
    listOperations: {},
    retryOperation: { params: async () => ({ id: s.body.operation.id }) }, // admin only; 409: it has not failed
    cancelOperation: { params: async () => ({ id: (await cancellable()).operation.id }) }, // admin only: cancels a second server's queued create
    listQuarantinedContainers: {},
    updateTenant: { body: () => ({ privateNetwork: false }), forbid: ['subUser'] },
    createTenant: { body: () => ({ name: 'matrix tenant' }) },
    getTenant: { params: async () => ({ id: a.tenantId }), visible: [...serverScoped, 'subUser'] },
    updateTenantById: { params: async () => ({ id: a.tenantId }), body: () => ({ name: 'customer A' }), visible: serverScoped },
    createUser: { body: () => ({ email: uniqueEmail('mx'), name: 'm', tenantId: a.tenantId }), visible: [...serverScoped, 'subUser'], forbid: ['subUser'] }, // tenant in the body
    deleteUser: { params: async () => ({ id: await spareUser() }), visible: [...serverScoped, 'subUser'], forbid: ['subUser'] },
    getUserPermissions: { params: async () => ({ id: await spareUser() }), visible: serverScoped },
    setUserPermissions: { params: async () => ({ id: await spareUser() }), body: () => ({ tenant: ['servers:create'], servers: [] }), visible: serverScoped },
    createApiKey: { body: () => ({ name: 'm', scopes: ['servers:read'] }) },
    revokeApiKey: { params: async () => ({ id: await mint() }), visible: ['owner'] },
    createSshKey: { body: () => ({ name: 'm', publicKey: sshKey() }) },
    deleteSshKey: { params: async () => ({ id: await ownerSsh() }), visible: ['owner'] },
    listWebhooks: {},
    createPlan: { body: () => ({ name: `matrix plan ${++n}`, cpuCores: 1, memoryMb: 512, diskGb: 5, priceCentsMonthly: 100 }) },
    getPlan: { params: async () => ({ id: privatePlan.body.id }), visible: [...serverScoped, 'subUser'] },
    updatePlan: { params: async () => ({ id: privatePlan.body.id }), body: () => ({ priceCentsMonthly: 260 }), visible: serverScoped },
    createTemplate: { body: () => ({ name: `matrix-${++n}`, label: 'Matrix', imageRef: 'debian-12' }) },
    updateTemplate: { params: async () => ({ id: templateId }), body: () => ({ label: 'Debian 12 (bookworm)' }) },
    getHost: { params: async () => ({ id: stack.hostId }) },
    updateHost: { params: async () => ({ id: stack.hostId }), body: () => ({ cpuOvercommit: 8 }) },
    listIpPools: {},
    addIpPoolHost: { params: async () => ({ id: pool.id }), body: () => ({ hostId: drainable.id }) },
    migrateServer: { params: server, body: () => ({ hostId: spare.id }) }, // admin only
    evacuateHost: { params: async () => ({ id: drainable.id }) },
    addHost: { body: () => ({ name: `mx-${++n}`, address: '127.0.0.1', sshPort: 1, password: 'x' }) },
    installHost: { params: async () => ({ id: drainable.id }), body: () => ({ sshPort: 1, password: 'x' }) }, // 409 once one is queued
    getHostInstall: { params: async () => ({ id: install.body.host.id, installId: install.body.install.id }) },
    createIpPool: { body: () => ({ hostId: stack.hostId, cidr: `192.0.2.${8 * (++n % 30)}/29` }) },
    updateServer: { params: server, body: () => ({ hostname: 'matrix.example.com' }), visible: serverScoped },
    createWebhook: { body: () => ({ url: 'https://hooks.example.com/berth', events: ['server.*', 'operation.failed'] }), forbid: ['subUser'] },
    deleteWebhook: { params: ownerWebhook, visible: ['owner'] },
    listWebhookDeliveries: { params: sharedWebhook, visible: ['owner'] },
    testWebhook: { params: sharedWebhook, visible: ['owner'] },
    getAccount: {},
    // Billing: the owner's account by default; sub-users need the tenant's billing right (this one has none).
    getBillingSummary: { forbid: ['subUser'] },
    listLedger: { forbid: ['subUser'] },
    listInvoices: { forbid: ['subUser'] },
    getInvoice: { params: async () => ({ id: invoice.id }), visible: [...serverScoped, 'subUser'], forbid: ['subUser'] },
    getInvoicePdf: { params: async () => ({ id: invoice.id }), visible: [...serverScoped, 'subUser'], forbid: ['subUser'] },
    createLedgerEntry: { body: () => ({ tenantId: a.tenantId, kind: 'credit', amountCents: 100, reason: 'matrix credit' }), visible: ['resellerOfOwner', 'admin'] },
    recordPayment: { body: () => ({ tenantId: a.tenantId, amountCents: 100, reference: `mx-${++n}` }) },
    listResellerPrices: {},
    setResellerPrice: { body: () => ({ planId: planA!.id, kind: 'retail', monthlyCents: 500 }) }, // each reseller (and the admin) its own
    changePassword: { body: () => ({ current: 'not the password', next: 'a brand new password' }) }, // 422 for those allowed
    beginTotp: {},
    confirmTotp: { body: () => ({ code: '000000' }) },
    disableTotp: { body: () => ({ code: '000000' }) },
    // Snapshots, backups, rescue: the owner's server is still being created, so allowed writes answer 409.
    listSnapshots: { params: server, visible: serverScoped },
    createSnapshot: { params: server, body: () => ({ name: 'matrix' }), visible: serverScoped },
    restoreSnapshot: { params: async () => ({ id: snapshotId }), visible: serverScoped },
    deleteSnapshot: { params: async () => ({ id: await ownerSnapshot() }), visible: serverScoped },
    listBackups: { params: server, visible: serverScoped },
    createBackup: { params: server, body: () => ({ kind: 'full' }), visible: serverScoped },
    getBackup: { params: async () => ({ id: backupId }), visible: serverScoped },
    deleteBackup: { params: async () => ({ id: await ownerBackup() }), visible: serverScoped },
    restoreBackup: { params: async () => ({ id: backupId }), visible: serverScoped },
    verifyBackup: { params: async () => ({ id: backupId }), visible: serverScoped },
    restoreToNewServer: { params: async () => ({ id: backupId }), body: () => ({ hostname: `r${++n}.example.com` }), visible: serverScoped },
    getBackupSchedule: { params: server, visible: serverScoped },
    putBackupSchedule: { params: server, body: () => ({ enabled: true, hourUtc: 4 }), visible: serverScoped },
    rescueServer: { params: server, body: () => ({ enabled: true }), visible: serverScoped },
    listBackupTargets: {},
    createBackupTarget: { body: () => ({ name: `mx-target-${++n}`, spec: { kind: 'dir', path: `/var/tmp/berth-mx-target-${n}` } }) },
    attachBackupTarget: { params: async () => ({ id: stackHost.backupTargetId! }), body: () => ({ hostId: drainable.id }) },
  };
  doc = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as typeof doc;
  await new Promise((res) => setTimeout(res, 1600)); // the expiring key is now expired
}, 180_000);

afterAll(async () => {
  if (rows.length) console.log(['| route | caller | expected | got |', '|---|---|---|---|', ...rows].join('\n'));
  await matrixDb?.$disconnect();
  await stack?.stop();
});

const ALLOWED = (s: number) => s < 400 || s === 409 || s === 422;

it('every route answers every kind of caller as its rules say', async () => {
  const failures: string[] = [];
  let checked = 0;
  for (const [p, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const sample = samples[op.operationId];
      expect(sample, `no matrix sample for ${op.operationId}: add one`).toBeDefined();
      for (const who of WHO) {
        const roles = op['x-berth-roles'];
        const role = ROLE[who];
        const expected = who === 'noKey' || who === 'expiredKey' ? '401'
          : who === 'wrongScope' ? '403'
            : (roles && !roles.includes(role!)) || (op['x-berth-scope'] === 'admin:*' && role !== 'admin') ? '403'
              : sample!.visible && !sample!.visible.includes(who) ? '404'
                : sample!.forbid?.includes(who) ? '403'
                  : 'allowed';
        const c = who === 'wrongScope' ? (clients as unknown as { wrongScopeFor: (s: string) => TBerthClient }).wrongScopeFor(op['x-berth-scope']) : clients[who];
        const params = sample!.params ? await sample!.params() : {};
        const body = sample!.body?.();
        const res = await c.raw(method.toUpperCase(), buildPath(p, params), { body });
        const got = ALLOWED(res.status) ? 'allowed' : String(res.status);
        checked += 1;
        rows.push(`| ${method.toUpperCase()} ${p} | ${who} | ${expected} | ${res.status} |`);
        if (res.status >= 500) failures.push(`${method} ${p} as ${who}: ${res.status} ${JSON.stringify(res.body)}`);
        else if (got !== expected) failures.push(`${method} ${p} as ${who}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`);
        if (res.status >= 400 && !res.headers.get('content-type')?.includes('application/problem+json')) failures.push(`${method} ${p} as ${who}: ${res.status} is not problem+json`);
        // Every mutating call that acted left an audit event naming its request id and address (dry runs change nothing).
        if (method !== 'get' && !op['x-berth-read-only'] && res.status >= 200 && res.status < 300) {
          const ev = await clients.admin.call('listAuditEvents', { query: { requestId: res.headers.get('x-request-id')! } });
          if (!ev.ok || !ev.body.data.some((e) => e.ip === '127.0.0.1' && e.actorId)) failures.push(`${method} ${p} as ${who}: no audit event for its request id`);
        }
      }
    }
  }
  expect(failures).toEqual([]);
  expect(checked).toBe(Object.values(doc.paths).reduce((n, m) => n + Object.keys(m).length, 0) * WHO.length);
}, 300_000);
