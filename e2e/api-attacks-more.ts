// The second half of the API attack suite (registered by api-attacks.int.test.ts, which builds the context):
// console tickets, concurrent quota bypass, oversized bodies and the classics.
import { describe } from 'vitest';
import { createBerthClient, type TBerthClient } from '@berth/client';
import { signConsoleToken } from '@berth/core';
import type { createReport } from '../agent/src/isolation/report.ts';
import { isProblem, lookalike, rawHttp, ROUNDS, sc, tryConsole } from './api-attacks-kit.ts';
import { keyByLogin, makeTenantUser, uniqueEmail } from './support/accounts.ts';
import { makeSshPublicKey } from './support/ssh-key.ts';
import type { TStack } from './support/stack.ts';

export type TCtx = {
  stack: TStack; admin: TBerthClient; A: { tenantId: string; userId: string; email: string; password: string };
  owner: TBerthClient; B: TBerthClient; R2: TBerthClient; S: TBerthClient; sId: string; t: Record<string, string>;
  planId: string; templateId: string;
};
type TReport = ReturnType<typeof createReport>;
type TRow = [string, string, string, boolean];
const PASSWORD = 'a long sub-user password';
const MiB = 1024 * 1024;

const login = async (baseUrl: string, email: string, password: string) => {
  const r = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return { status: r.status, cookie: (r.headers.get('set-cookie') ?? '').split(';')[0]! };
};

/** A request whose connection may be cut by the server: that is an answer too (status 0, code names the error). */
const attempt = <T extends { status: number }>(fn: () => Promise<T>) =>
  fn().catch((e: Error & { code?: string; cause?: { code?: string } }) => ({ status: 0, body: { code: `connection ${e.code ?? e.cause?.code ?? e.message}` }, type: '', headers: new Headers() }));

export const moreAttacks = (x: TCtx, report: TReport) => {
  const c = (key?: string) => createBerthClient({ baseUrl: x.stack.baseUrl, apiKey: key });
  /** A sub-user of A with the given rights on A's server, and its client. */
  const subUser = async (permissions: string[]) => {
    const u = await makeTenantUser(x.owner, { role: 'customer', tenantName: 'helper', tenantId: x.A.tenantId });
    await x.owner.call('setUserPermissions', { params: { id: u.userId }, body: { tenant: [], servers: [{ serverId: x.t.server!, permissions: permissions as never }] } });
    return { id: u.userId, client: c((await keyByLogin(x.stack.baseUrl, u.email, u.password, { scopes: ['servers:read', 'servers:write', 'account:read'] })).key) };
  };
  const ticket = async (who: TBerthClient) => {
    const r = await who.call('openConsole', { params: { id: x.t.server! } });
    if (!r.ok) throw new Error(`console ticket: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const refused = (o: string) => o === 'closed 4001' || o === 'closed 4003';

  describe('console tickets', () => {
    report.it('replayed, revoked, re-targeted and expired tickets', async () => {
      const rows: TRow[] = [];
      const first = await ticket(x.owner);
      const used = await tryConsole(first.url, first.token);
      const replays: string[] = [];
      for (let i = 0; i < 2 * ROUNDS; i++) replays.push(await tryConsole(first.url, first.token));
      rows.push(['control: the owner\'s fresh ticket', 'admitted', used, used === 'admitted (session open)']);
      rows.push([`the same ticket replayed ${2 * ROUNDS}x`, 'every replay refused (4001)', [...new Set(replays)].join(', '), replays.every(refused)]);

      const helper = await subUser(['view', 'console']);
      const beforeRevoke = await ticket(helper.client);
      await x.owner.call('setUserPermissions', { params: { id: helper.id }, body: { tenant: [], servers: [{ serverId: x.t.server!, permissions: ['view'] }] } });
      await new Promise((r) => setTimeout(r, 500)); // the revocation is announced at commit
      const afterRevoke = await tryConsole(beforeRevoke.url, beforeRevoke.token);
      const fresh = await helper.client.raw('POST', `/servers/${x.t.server}/console`);
      rows.push(['sub-user\'s unused ticket after its console right was removed', 'refused', afterRevoke, refused(afterRevoke)]);
      rows.push(['that sub-user asks for a new ticket', '403', sc(fresh), fresh.status === 403]);

      const gone = await subUser(['view', 'console']);
      const beforeDelete = await ticket(gone.client);
      await x.owner.call('deleteUser', { params: { id: gone.id } });
      await new Promise((r) => setTimeout(r, 500));
      const afterDelete = await tryConsole(beforeDelete.url, beforeDelete.token);
      const keyAfter = await gone.client.raw('GET', '/account');
      rows.push(['deleted user\'s unused ticket', 'refused', afterDelete, refused(afterDelete)]);
      rows.push(['deleted user\'s API key', '401', sc(keyAfter), keyAfter.status === 401]);

      const exp = Math.floor(Date.now() / 1000) + 60;
      const key = x.stack.env.CONSOLE_SIGNING_KEY!;
      const otherHost = signConsoleToken(key, { sid: x.t.server!, hid: lookalike(x.stack.hostId), uid: x.A.userId, exp });
      const expired = signConsoleToken(key, { sid: x.t.server!, hid: x.stack.hostId, uid: x.A.userId, exp: Math.floor(Date.now() / 1000) - 5 });
      const t2 = await ticket(x.owner);
      const [body, sig] = t2.token.split('.');
      const claims = JSON.parse(Buffer.from(body!, 'base64url').toString());
      const retarget = `${Buffer.from(JSON.stringify({ ...claims, sid: lookalike(x.t.server!) })).toString('base64url')}.${sig}`;
      const reuser = `${Buffer.from(JSON.stringify({ ...claims, uid: x.sId })).toString('base64url')}.${sig}`;
      for (const [what, tok] of [['a panel-signed ticket for another host', otherHost], ['an expired panel-signed ticket', expired],
        ['a ticket whose server id was rewritten (signature kept)', retarget], ['a ticket whose user id was rewritten', reuser],
        ['a garbage ticket', 'x.y'], ['no ticket', '']] as const) {
        const o = await tryConsole(first.url, tok);
        rows.push([what, 'refused (4001)', o, o === 'closed 4001']);
      }
      report.checkAll(rows);
    });
  });

  describe('concurrent quota bypass', () => {
    const race = async (quotas: Record<string, number>, allowed: number, label: string) => {
      const tenant = await x.admin.call('createTenant', { body: { name: `quota ${label}`, quotas } });
      if (!tenant.ok) throw new Error(JSON.stringify(tenant.body));
      const u = await makeTenantUser(x.admin, { role: 'customer', tenantName: 'quota', tenantId: tenant.body.id });
      const q = c((await keyByLogin(x.stack.baseUrl, u.email, u.password, { scopes: ['servers:read', 'servers:write'] })).key);
      const n = 6 * ROUNDS;
      const res = await Promise.all(Array.from({ length: n }, (_, i) =>
        q.raw('POST', '/servers', { body: { hostname: `race${i}-${Date.now().toString(36)}.example.com`, planId: x.planId, templateId: x.templateId } })));
      const hist: Record<string, number> = {};
      for (const r of res) hist[sc(r)] = (hist[sc(r)] ?? 0) + 1;
      const ok = res.filter((r) => r.status === 202).length;
      const list = await q.call('listServers');
      const held = list.ok ? list.body.data.filter((s) => s.status !== 'deleted').length : -1;
      return [`${n} parallel creates against ${label}`, `exactly ${allowed} accepted, the rest 409 quota_exceeded`,
        `${JSON.stringify(hist)}; servers held ${held}`, ok === allowed && held === allowed && res.every((r) => r.status === 202 || r.status === 409)] as TRow;
    };
    report.it('N parallel orders against a quota', async () => {
      const plan = await x.owner.call('getPlan', { params: { id: x.planId } });
      const mem = plan.ok ? plan.body.memoryMb : 512;
      report.checkAll([
        await race({ maxServers: 1 }, 1, 'maxServers 1'),
        await race({ maxMemoryMb: 2 * mem }, 2, `maxMemoryMb ${2 * mem} (2 servers)`),
      ]);
    });
  });

  describe('oversized and malformed bodies', () => {
    report.it('multi-MB JSON, deep nesting, a huge header', async () => {
      const rows: TRow[] = [];
      const sizes = ROUNDS > 1 ? [2 * MiB, 16 * MiB] : [2 * MiB];
      const before = (await x.owner.call('listServers')).body as any;
      for (const size of sizes) {
        for (const [path, body] of [
          ['/servers', { hostname: 'big.example.com', planId: x.planId, templateId: x.templateId, pad: 'a'.repeat(size) }],
          ['/api-keys', { name: 'k'.repeat(size), scopes: ['servers:read'] }],
          ['/ssh-keys', { name: 'big', publicKey: `ssh-ed25519 ${'A'.repeat(size)}` }],
        ] as const) {
          const t0 = performance.now();
          const res = await attempt(() => x.owner.raw('POST', path, { body }));
          rows.push([`POST ${path} with a ${size / MiB} MiB JSON body`, '413 problem+json', `${sc(res)} in ${(performance.now() - t0).toFixed(0)} ms`, res.status === 413 && isProblem(res)]);
        }
      }
      const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
      const nested = await attempt(() => x.owner.raw('POST', '/ssh-keys', { body: deep }));
      rows.push(['POST /ssh-keys with JSON nested 200 000 deep', '4xx problem+json, never 500', sc(nested), nested.status >= 400 && nested.status < 500 && isProblem(nested)]);
      const header = await attempt(() => rawHttp(x.stack.baseUrl, 'GET', '/api/v1/plans', { 'x-pad': 'a'.repeat(64 * 1024) }));
      rows.push(['GET with a 64 KiB header', '431 or the connection closed (node\'s 16 KiB header limit)', sc(header),
        header.status === 431 || /^connection (ECONNRESET|EPIPE)/.test(String((header.body as any)?.code))]);
      const alive = await x.owner.raw('GET', '/plans');
      const after = (await x.owner.call('listServers')).body as any;
      rows.push(['the panel afterwards; servers created by the big bodies', '200; none', `${alive.status}; ${after.data.length - before.data.length}`,
        alive.status === 200 && after.data.length === before.data.length]);
      report.checkAll(rows);
    });
  });

  describe('classics', () => {
    report.it('SQL-ish strings in filters and ids', async () => {
      const sql = ["' OR '1'='1", '1; DROP TABLE "Server"; --', "srv_x' UNION SELECT email, password FROM \"User\" --", "%' OR 1=1 --", '\\x27 OR 1=1'];
      const rows: TRow[] = [];
      const secret = [x.t.server!, x.A.email, x.A.tenantId];
      for (const [path, param] of [['/servers', 'status'], ['/servers', 'tenantId'], ['/servers', 'cursor'], ['/operations', 'serverId'],
        ['/audit-events', 'targetId'], ['/tenants', 'parentId'], ['/users', 'tenantId']] as const) {
        const got: string[] = [];
        let bad = false;
        for (const s of sql) {
          const res = await x.B.raw('GET', path, { query: { [param]: s } });
          got.push(String(res.status));
          if (res.status >= 500 || secret.some((v) => JSON.stringify(res.body).includes(v))) bad = true;
        }
        rows.push([`customer B: GET ${path}?${param}=<${sql.length} SQL strings>`, '4xx or an empty/own list, never 500, nothing of A', [...new Set(got)].join(','), !bad]);
      }
      const idRes = await x.B.raw('GET', `/servers/${encodeURIComponent(`${x.t.server}' OR '1'='1`)}`);
      rows.push(['customer B: GET /servers/{A\'s id}\' OR \'1\'=\'1', '404/422', sc(idRes), idRes.status === 404 || idRes.status === 422]);
      report.checkAll(rows);
    });

    report.it('path traversal in ids', async () => {
      const auth = { authorization: `Bearer ${(await keyByLogin(x.stack.baseUrl, x.A.email, x.A.password, { scopes: ['servers:read', 'account:read', 'billing:read'] })).key}` };
      const rows: TRow[] = [];
      for (const p of ['/api/v1/servers/..%2F..%2Fhosts', '/api/v1/servers/%2e%2e/%2e%2e/hosts', '/api/v1/servers/../hosts', `/api/v1/servers/${x.t.server}%2F..%2F..%2Fip-pools`,
        '/api/v1/invoices/..%2F..%2Fhosts', '/api/v1/servers/..%5C..%5Chosts', `/api/v1/servers/${x.t.server}%00`, '/api/v1/servers/%252e%252e%252fhosts']) {
        const res = await rawHttp(x.stack.baseUrl, 'GET', p, auth);
        const leak = /"(cpuOvercommit|cidr)"/.test(res.text);
        rows.push([`customer: GET ${p.replace(x.t.server!, '{id}')}`, '4xx, no host or pool data', `${res.status}${leak ? ' LEAKS' : ''}`, res.status >= 400 && res.status < 500 && !leak]);
      }
      report.checkAll(rows);
    });

    report.it('forged session cookies, expired, revoked and IP-bound keys', async () => {
      const rows: TRow[] = [];
      const real = await login(x.stack.baseUrl, x.A.email, x.A.password);
      const [name, value] = real.cookie.split('=');
      const flip = value!.slice(0, -1) + (value!.endsWith('A') ? 'B' : 'A');
      const get = (cookie: string) => rawHttp(x.stack.baseUrl, 'GET', '/api/v1/account', { cookie });
      rows.push(['control: A\'s real session cookie', '200', String((await get(real.cookie)).status), (await get(real.cookie)).status === 200]);
      for (const [what, cookie] of [['a random session cookie', `${name}=${'x'.repeat(value!.length)}`], ['A\'s cookie with its last character changed', `${name}=${flip}`],
        ['an empty session cookie', `${name}=`], ['a session cookie of SQL', `${name}=' OR 1=1 --`]] as const) {
        const res = await get(cookie);
        rows.push([what, '401', sc(res), res.status === 401]);
      }
      const expiring = await keyByLogin(x.stack.baseUrl, x.A.email, x.A.password, { scopes: ['servers:read'], expiresAt: new Date(Date.now() + 1500).toISOString() });
      const revoked = await keyByLogin(x.stack.baseUrl, x.A.email, x.A.password, { scopes: ['servers:read'] });
      await x.owner.call('revokeApiKey', { params: { id: revoked.id } });
      const bound = await keyByLogin(x.stack.baseUrl, x.A.email, x.A.password, { scopes: ['servers:read'], allowedIps: ['10.1.2.3'] });
      await new Promise((r) => setTimeout(r, 1700));
      const exp = await c(expiring.key).raw('GET', '/servers');
      const rev = await c(revoked.key).raw('GET', '/servers');
      const spoof = await c(bound.key).raw('GET', '/servers', { headers: { 'x-forwarded-for': '10.1.2.3', 'x-berth-client-ip': '10.1.2.3', 'x-real-ip': '10.1.2.3' } });
      rows.push(['an expired API key', '401', sc(exp), exp.status === 401]);
      rows.push(['a revoked API key', '401', sc(rev), rev.status === 401]);
      rows.push(['a key bound to 10.1.2.3, with X-Forwarded-For / x-berth-client-ip 10.1.2.3', '401/403 (the socket address counts)', sc(spoof), spoof.status === 401 || spoof.status === 403]);
      report.checkAll(rows);
    });

    report.it('CSRF on cookie-authenticated writes', async () => {
      const { cookie } = await login(x.stack.baseUrl, x.A.email, x.A.password);
      const count = async () => ((await x.owner.call('listSshKeys')).body as any).data.length;
      const before = await count();
      const body = JSON.stringify({ name: 'csrf', publicKey: makeSshPublicKey() });
      const noHeader = await rawHttp(x.stack.baseUrl, 'POST', '/api/v1/ssh-keys', { cookie, 'content-type': 'application/json', origin: 'https://evil.example' }, body);
      const form = await rawHttp(x.stack.baseUrl, 'POST', '/api/v1/ssh-keys', { cookie, 'content-type': 'text/plain', origin: 'https://evil.example' }, body);
      const del = await rawHttp(x.stack.baseUrl, 'DELETE', `/api/v1/ssh-keys/${x.t.sshKey}`, { cookie, origin: 'https://evil.example' });
      const preflight = await rawHttp(x.stack.baseUrl, 'OPTIONS', '/api/v1/ssh-keys', { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-berth-csrf,content-type' });
      const after = await count();
      report.checkAll([
        ['cookie POST /ssh-keys without x-berth-csrf (cross-site fetch)', '403', sc(noHeader), noHeader.status === 403],
        ['cookie POST /ssh-keys as text/plain (a cross-site form)', '403/415', sc(form), form.status === 403 || form.status === 415],
        ['cookie DELETE /ssh-keys/{id} without x-berth-csrf', '403', sc(del), del.status === 403],
        ['CORS preflight from https://evil.example', 'no Access-Control-Allow-Origin for it', `${preflight.status}, allow-origin: ${String(preflight.headers['access-control-allow-origin'] ?? 'none')}`,
          preflight.headers['access-control-allow-origin'] === undefined],
        ['ssh keys of A afterwards', `${before} (nothing created or deleted)`, String(after), after === before],
      ]);
    });

    report.it('password guessing on a sign-in', async () => {
      const victim = await makeTenantUser(x.owner, { role: 'customer', tenantName: 'guessed', tenantId: x.A.tenantId });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await login(x.stack.baseUrl, victim.email, `wrong-${i}-${uniqueEmail('p')}`)).status);
      const right = await login(x.stack.baseUrl, victim.email, victim.password);
      report.checkAll([
        ['12 wrong passwords for one account', 'rate limited (429) before the 12th', statuses.join(','), statuses.slice(-2).every((s) => s === 429) && statuses.every((s) => s === 401 || s === 429)],
        ['the right password right after', 'still 429 (no oracle while limited)', String(right.status), right.status === 429],
      ]);
    });
  });
};
