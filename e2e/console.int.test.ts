// The web console end to end without a browser: a ticket from the API, a websocket to the host's agent, a
// real login shell on a pty inside a real VPS; tickets are single-use, host-bound and must be renewed;
// taking the console right away closes an open console at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createBerthClient, type TBerthClient } from '@berth/client';
import { startStack, type TStack } from './support/stack.ts';
import { keyByLogin, makeTenantUser } from './support/accounts.ts';
import { pollUntil } from './support/api.ts';

let stack: TStack;
let owner: TBerthClient;
let serverId = '';

type TConn = { ws: WebSocket; out: () => string; closed: Promise<{ code: number; reason: string }> };
const connect = (url: string, token: string): Promise<TConn> => new Promise((resolve, reject) => {
  const ws = new WebSocket(`${url}?token=${encodeURIComponent(token)}&cols=100&rows=30`);
  let out = '';
  ws.on('message', (d: Buffer) => (out += d.toString('utf8')));
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
  ws.on('open', () => resolve({ ws, out: () => out, closed }));
  ws.on('error', reject);
});
const waitFor = async (c: TConn, re: RegExp, ms = 20_000) => {
  const until = Date.now() + ms;
  while (!re.test(c.out()) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  expect(c.out()).toMatch(re);
};

beforeAll(async () => {
  stack = await startStack({ withAgent: true });
  const admin = createBerthClient({ baseUrl: stack.baseUrl, apiKey: stack.adminKey });
  const who = await makeTenantUser(admin, { role: 'customer', tenantName: 'console' });
  owner = createBerthClient({ baseUrl: stack.baseUrl, apiKey: (await keyByLogin(stack.baseUrl, who.email, who.password, { scopes: ['servers:read', 'servers:write', 'account:read', 'account:write'] })).key });
  const plans = await owner.call('listPlans');
  const templates = await owner.call('listTemplates');
  if (!plans.ok || !templates.ok) throw new Error('catalog');
  const made = await owner.call('createServer', { body: { hostname: 'console-test.example.com', planId: plans.body.data[0]!.id, templateId: templates.body.data[0]!.id } });
  if (!made.ok) throw new Error(JSON.stringify(made.body));
  serverId = made.body.server.id;
  await pollUntil('running', async () => (await owner.call('getServer', { params: { id: serverId } })).body, (s) => (s as { status: string }).status === 'running', 180_000);
}, 240_000);
afterAll(async () => stack?.stop());

describe('web console', () => {
  it('opens a root login shell on a pty inside the VPS, follows resizes, and a ticket works once', async () => {
    const t = await owner.call('openConsole', { params: { id: serverId } });
    if (!t.ok) throw new Error(JSON.stringify(t.body));
    expect(t.status).toBe(201);
    const c = await connect(t.body.url, t.body.token);
    await waitFor(c, /root@console-test:~# $/); // login flushes what was typed before its prompt
    c.ws.send(Buffer.from('hostname; stty size; tty\n'));
    await waitFor(c, /console-test\.example\.com[\s\S]*30 100[\s\S]*\/dev\/pts\/\d+/);
    c.ws.send(JSON.stringify({ type: 'resize', cols: 132, rows: 43 }));
    await new Promise((r) => setTimeout(r, 300));
    c.ws.send(Buffer.from('stty size; id -u\n'));
    await waitFor(c, /43 132[\s\S]*\b0\b/);
    // The same ticket again: refused.
    const again = await connect(t.body.url, t.body.token);
    expect((await again.closed).code).toBe(4001);
    c.ws.close();
  }, 60_000);

  it('refuses a forged or another server\'s ticket', async () => {
    const t = await owner.call('openConsole', { params: { id: serverId } });
    if (!t.ok) throw new Error('ticket');
    const [body, sig] = t.body.token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), uid: 'usr_attackerattack' })).toString('base64url');
    expect((await (await connect(t.body.url, `${forged}.${sig}`)).closed).code).toBe(4001);
    expect((await (await connect(t.body.url, 'garbage')).closed).code).toBe(4001);
  });

  it('closes an open console of a sub-user the moment its console right is taken away', async () => {
    const me = await owner.call('getAccount');
    if (!me.ok) throw new Error('account');
    const sub = await owner.call('createUser', { body: { email: `sub-${Date.now()}@example.test`, name: 'helper', tenantId: me.body.user.tenantId, password: 'a long helper password' } });
    if (!sub.ok) throw new Error(JSON.stringify(sub.body));
    await owner.call('setUserPermissions', { params: { id: sub.body.id }, body: { tenant: [], servers: [{ serverId, permissions: ['view', 'console'] }] } });
    const helper = createBerthClient({ baseUrl: stack.baseUrl, apiKey: (await keyByLogin(stack.baseUrl, sub.body.email, 'a long helper password', { scopes: ['servers:read', 'servers:write'] })).key });
    const t = await helper.call('openConsole', { params: { id: serverId } });
    if (!t.ok) throw new Error(JSON.stringify(t.body));
    const c = await connect(t.body.url, t.body.token);
    await waitFor(c, /root@console-test:~# $/);
    c.ws.send(Buffer.from('echo still-here\n'));
    await waitFor(c, /still-here/);
    await owner.call('setUserPermissions', { params: { id: sub.body.id }, body: { tenant: [], servers: [{ serverId, permissions: ['view'] }] } });
    const closed = await Promise.race([c.closed, new Promise<{ code: number }>((r) => setTimeout(() => r({ code: -1 }), 10_000))]);
    expect(closed.code).toBe(4003);
    expect((await helper.call('openConsole', { params: { id: serverId } })).status).toBe(403); // and no new ticket
  }, 60_000);
});
