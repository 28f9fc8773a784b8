// What every endpoint shares, through the real panel: rate limits, Idempotency-Key, request ids, key
// allowlists and revocation, the OpenAPI document.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '@berth/core';
import { createBerthClient, type TBerthClient } from '@berth/client';
import { startStack, type TStack } from './support/stack.ts';
import { keyByLogin, makeTenantUser } from './support/accounts.ts';

let stack: TStack;
let admin: TBerthClient;
let customer: { tenantId: string; userId: string; email: string; password: string };
const PER_KEY = 25;

beforeAll(async () => {
  // Webhooks to a receiver on loopback: allowed for this test stack only.
  stack = await startStack({ withAgent: false, env: { RATE_LIMIT_PER_KEY: String(PER_KEY), RATE_LIMIT_PER_IP: '100000', WEBHOOK_ALLOW_PRIVATE: 'true' } });
  admin = createBerthClient({ baseUrl: stack.baseUrl, apiKey: stack.adminKey });
  customer = await makeTenantUser(admin, { role: 'customer', tenantName: 'behaviour' });
}, 120_000);
afterAll(async () => stack?.stop());

const keyFor = async (o: Parameters<typeof keyByLogin>[3] = { scopes: ['servers:read', 'servers:write', 'account:read', 'account:write'] }) =>
  keyByLogin(stack.baseUrl, customer.email, customer.password, o);

describe('rate limits', () => {
  it('stops password guessing: the 11th sign-in attempt on one account within a minute is 429, even with the right password', async () => {
    const email = `guess-${Date.now().toString(36)}@example.test`;
    await admin.call('createUser', { body: { email, name: 'G', tenantId: customer.tenantId, password: 'the right password 1' } });
    const attempt = (password: string) => fetch(`${stack.baseUrl}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
    });
    for (let i = 0; i < 10; i++) expect((await attempt(`wrong ${i}`)).status).toBe(401);
    const blocked = await attempt('the right password 1');
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({ code: 'rate_limited' });
  });

  it('counts per key, sends RateLimit headers, then 429 with Retry-After; another key is not affected', async () => {
    const c = createBerthClient({ baseUrl: stack.baseUrl, apiKey: (await keyFor()).key });
    const first = await c.call('listPlans');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe(String(PER_KEY));
    expect(Number(first.headers.get('ratelimit-remaining'))).toBe(PER_KEY - 1);
    expect(first.headers.get('ratelimit-policy')).toBe(`${PER_KEY};w=60`);
    let last = first;
    for (let i = 1; i < PER_KEY + 3; i++) last = await c.call('listPlans');
    expect(last.status).toBe(429);
    expect(last.body).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last.headers.get('ratelimit-remaining')).toBe('0');
    const other = createBerthClient({ baseUrl: stack.baseUrl, apiKey: (await keyFor()).key });
    expect((await other.call('listPlans')).status).toBe(200);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response to a retry, refuses the key with another body, and acts once', async () => {
    const c = createBerthClient({ baseUrl: stack.baseUrl, apiKey: stack.adminKey });
    const body = { name: 'idem tenant' };
    const a = await c.call('createTenant', { body, idempotencyKey: 'order-42' });
    const b = await c.call('createTenant', { body, idempotencyKey: 'order-42' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(b.body).toEqual(a.body);
    const other = await c.call('createTenant', { body: { name: 'something else' }, idempotencyKey: 'order-42' });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'idempotency_key_reused' });
    const list = await c.call('listTenants', { query: { limit: 200 } });
    expect(list.ok && list.body.data.filter((t) => t.name === 'idem tenant')).toHaveLength(1);
    // Key order in the body does not make it another request.
    const c1 = await c.call('createTenant', { body: { name: 'ordered', quotas: { maxServers: 3, maxIps: 3 } }, idempotencyKey: 'k2' });
    const c2 = await c.raw('POST', '/tenants', { body: '{"quotas":{"maxIps":3,"maxServers":3},"name":"ordered"}', headers: { 'idempotency-key': 'k2' } });
    expect(c2.status).toBe(201);
    expect(c2.body).toEqual(c1.body);
  });

  it('refuses a key longer than 255 characters', async () => {
    const r = await admin.call('createTenant', { body: { name: 'x' }, idempotencyKey: 'k'.repeat(256) });
    expect(r.status).toBe(400);
  });
});

describe('requests and keys', () => {
  it('echoes a caller\'s X-Request-Id (or makes one) and puts it in problems', async () => {
    const ok = await admin.call('listPlans', { headers: { 'x-request-id': 'reseller-trace-1' } });
    expect(ok.headers.get('x-request-id')).toBe('reseller-trace-1');
    const bad = await admin.raw('GET', '/servers/srv_doesnotexist');
    expect(bad.status).toBe(404);
    expect((bad.body as { requestId: string }).requestId).toBe(bad.headers.get('x-request-id'));
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('honours a key\'s IP allowlist against the socket address, not a forged X-Forwarded-For', async () => {
    const far = createBerthClient({ baseUrl: stack.baseUrl, apiKey: (await keyFor({ scopes: ['servers:read'], allowedIps: ['203.0.113.0/24'] })).key });
    const r = await far.call('listServers', { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).toContain('127.0.0.1');
    const near = createBerthClient({ baseUrl: stack.baseUrl, apiKey: (await keyFor({ scopes: ['servers:read'], allowedIps: ['127.0.0.0/8', '::1'] })).key });
    expect((await near.call('listServers')).status).toBe(200);
  });

  it('stops a revoked key and a removed user\'s keys at once', async () => {
    const k = await keyFor();
    const c = createBerthClient({ baseUrl: stack.baseUrl, apiKey: k.key });
    expect((await c.call('listServers')).status).toBe(200);
    expect((await c.call('revokeApiKey', { params: { id: k.id } })).status).toBe(204);
    expect((await c.call('listServers')).status).toBe(401);

    const doomed = await makeTenantUser(admin, { role: 'customer', tenantName: 'x', tenantId: customer.tenantId });
    const dk = createBerthClient({ baseUrl: stack.baseUrl, apiKey: (await keyByLogin(stack.baseUrl, doomed.email, doomed.password, { scopes: ['servers:read'] })).key });
    expect((await dk.call('listServers')).status).toBe(200);
    expect((await admin.call('deleteUser', { params: { id: doomed.userId } })).status).toBe(204);
    expect((await dk.call('listServers')).status).toBe(401);
  });

  it('never lets a key grant more than it holds', async () => {
    const narrow = createBerthClient({ baseUrl: stack.baseUrl, apiKey: (await keyFor({ scopes: ['account:write'] })).key });
    const r = await narrow.call('createApiKey', { body: { name: 'wider', scopes: ['servers:write'] } });
    expect(r.status).toBe(403);
  });
});

describe('webhooks', () => {
  it('sends a tenant\'s events to its URL, HMAC-signed, and shows them in the delivery log', async () => {
    const got: { event: string; signature: string; body: string }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        got.push({ event: String(req.headers['berth-event']), signature: String(req.headers['berth-signature']), body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const c = createBerthClient({ baseUrl: stack.baseUrl, apiKey: (await keyFor()).key });
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/berth`;
      const made = await c.call('createWebhook', { body: { url, events: ['server.*', 'webhook.test'] } });
      if (!made.ok) throw new Error(JSON.stringify(made.body));
      const plans = await c.call('listPlans');
      const templates = await c.call('listTemplates');
      if (!plans.ok || !templates.ok) throw new Error('catalog');
      const order = await c.call('createServer', { body: { hostname: 'hooked.example.com', planId: plans.body.data[0]!.id, templateId: templates.body.data[0]!.id } });
      expect(order.status).toBe(202);
      expect((await c.call('testWebhook', { params: { id: made.body.webhook.id } })).status).toBe(202);
      for (let i = 0; i < 100 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(got.map((g) => g.event).sort()).toEqual(['server.ordered', 'webhook.test']);
      for (const g of got) expect(verifyWebhookSignature(made.body.secret, g.signature, g.body)).toBe(true);
      const ordered = JSON.parse(got.find((g) => g.event === 'server.ordered')!.body);
      expect(ordered.data.server.hostname).toBe('hooked.example.com');
      const log = await c.call('listWebhookDeliveries', { params: { id: made.body.webhook.id } });
      expect(log.ok && log.body.data.map((d) => [d.eventType, d.status, d.lastStatusCode]).sort()).toEqual([['server.ordered', 'succeeded', 204], ['webhook.test', 'succeeded', 204]]);
    } finally {
      receiver.close();
    }
  });
});

describe('OpenAPI', () => {
  it('serves a 3.1 document of every route, without authentication', async () => {
    const res = await fetch(`${stack.baseUrl}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, object> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/servers/{id}/resize');
  });
});
