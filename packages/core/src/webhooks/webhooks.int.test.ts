// Webhooks end to end inside core: events written with the change that caused them, signed deliveries to
// a real HTTP receiver on loopback, retries with backoff, the delivery log, and private addresses refused.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { createFor, finish, makePrincipal, makeWorld } from '../testing/fixtures.ts';
import { createWebhook } from './create-webhook.ts';
import { backoffMs, deliverWebhooks } from './deliver-webhooks.ts';
import { listWebhookDeliveries } from './list-webhook-deliveries.ts';
import { createWebhookPoster, isPrivateAddress } from './post-webhook.ts';
import { verifyWebhookSignature } from './sign-webhook.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
let server: http.Server;
let url = '';
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let answer = 200;
const SECRET = 's'.repeat(40);

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  server?.close();
  await t?.drop();
});

const account = { scopes: ['servers:read', 'servers:write', 'account:read', 'account:write'] };

describe('webhooks', () => {
  it('delivers signed events for the tenant (and its reseller), retries failures with backoff, and logs every attempt', async () => {
    const w = await makeWorld(db, { cidr: '198.18.0.0/24' });
    const owner = { ...w.principal, scopes: account.scopes };
    const { webhook, secret } = await createWebhook({ db, principal: owner, input: { url, events: ['server.*', 'operation.failed'] }, sessionSecret: SECRET });
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } })).secret).not.toContain(secret); // sealed

    const { server: s, operation } = await createFor(db, w.principal, w.plan.id, w.template.id);
    await finish(db, { operationId: operation.id, serverId: s.id, hostId: s.hostId }, 'succeeded', { state: 'running' });
    const post = createWebhookPoster({ allowPrivate: true });
    expect(await deliverWebhooks({ db, post, sessionSecret: SECRET })).toBe(2); // server.ordered, server.created (operation.succeeded not subscribed)
    expect(received.map((r) => r.headers['berth-event']).sort()).toEqual(['server.created', 'server.ordered']);
    for (const r of received) {
      expect(verifyWebhookSignature(secret, String(r.headers['berth-signature']), r.body)).toBe(true);
      expect(verifyWebhookSignature(secret, String(r.headers['berth-signature']), r.body.replace('}', ' }'))).toBe(false);
      expect(JSON.parse(r.body)).toMatchObject({ type: r.headers['berth-event'], tenantId: w.principal.tenantId, data: expect.any(Object) });
    }

    // The receiver fails: the delivery stays pending with the error and a later next attempt.
    answer = 503;
    received.length = 0;
    const stop = await db.operation.create({ data: { id: 'op_webhookfail01', type: 'stop', serverId: s.id, hostId: s.hostId } });
    await finish(db, { operationId: stop.id, serverId: s.id, hostId: s.hostId }, 'failed', { state: 'running', error: 'boom' });
    expect(await deliverWebhooks({ db, post, sessionSecret: SECRET })).toBe(1);
    let [failed] = (await listWebhookDeliveries({ db, principal: owner, webhookId: webhook.id, query: { limit: 1, status: 'pending' } })).data;
    expect(failed).toMatchObject({ eventType: 'operation.failed', attempts: 1, lastStatusCode: 503, lastError: 'HTTP 503' });
    expect(new Date(failed!.nextAttemptAt!).getTime()).toBeGreaterThan(Date.now() + 5_000);
    expect(await deliverWebhooks({ db, post, sessionSecret: SECRET })).toBe(0); // not due yet

    answer = 200;
    await db.webhookDelivery.update({ where: { id: failed!.id }, data: { nextAttemptAt: new Date() } });
    expect(await deliverWebhooks({ db, post, sessionSecret: SECRET })).toBe(1);
    [failed] = (await listWebhookDeliveries({ db, principal: owner, webhookId: webhook.id, query: { limit: 50 } })).data.filter((d) => d.id === failed!.id);
    expect(failed).toMatchObject({ status: 'succeeded', attempts: 2, lastStatusCode: 200, lastError: null });

    // Out of attempts: failed for good.
    answer = 500;
    await db.webhookDelivery.update({ where: { id: failed!.id }, data: { status: 'pending', nextAttemptAt: new Date(), attempts: 7 } });
    await deliverWebhooks({ db, post, sessionSecret: SECRET });
    expect((await db.webhookDelivery.findUniqueOrThrow({ where: { id: failed!.id } })).status).toBe('failed');
    answer = 200;
  });

  it('refuses loopback, private and Berth\'s own VPS addresses unless explicitly allowed', async () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '192.168.1.1', '172.20.0.1', '169.254.169.254', '198.18.0.5', '100.64.0.1', '::1', 'fd00::1', '::ffff:127.0.0.1']) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    expect(isPrivateAddress('203.0.113.10')).toBe(false);
    const guarded = createWebhookPoster();
    expect(await guarded(url, '{}', {})).toMatchObject({ status: null, error: expect.stringMatching(/refused: 127\.0\.0\.1 is a private address/) });
    expect(await guarded(url.replace('127.0.0.1', 'localhost'), '{}', {})).toMatchObject({ status: null, error: expect.stringMatching(/refused: localhost resolves to a private address/) });
  });

  it('backs off exponentially up to an hour', () => {
    expect(backoffMs(1, 0.5)).toBe(10_000);
    expect(backoffMs(4, 0.5)).toBe(80_000);
    expect(backoffMs(30, 0.5)).toBe(3_600_000);
    expect(backoffMs(2, 0)).toBe(16_000);
  });

  it('gives a reseller its customers\' events too', async () => {
    const reseller = await makePrincipal(db, { role: 'reseller', scopes: account.scopes });
    const customerTenant = await db.tenant.create({ data: { id: 'ten_whcustomer01', name: 'c', parentId: reseller.tenantId } });
    const customer = await makePrincipal(db, { tenantId: customerTenant.id });
    const w = await makeWorld(db, { cidr: '198.18.1.0/24' });
    await createWebhook({ db, principal: reseller, input: { url, events: ['server.ordered'] }, sessionSecret: SECRET });
    received.length = 0;
    await createFor(db, customer, w.plan.id, w.template.id);
    await deliverWebhooks({ db, post: createWebhookPoster({ allowPrivate: true }), sessionSecret: SECRET });
    expect(received.map((r) => JSON.parse(r.body).tenantId)).toEqual([customerTenant.id]);
  });
});
