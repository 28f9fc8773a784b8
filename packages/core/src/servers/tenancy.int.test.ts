import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, ZListServersQuery, type TServer } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import type { TPrincipal } from '../auth/principal.ts';
import { getOperation } from '../operations/get-operation.ts';
import { actOnServer } from './act-on-server.ts';
import { deleteServer } from './delete-server.ts';
import { getServer } from './get-server.ts';
import { listServers } from './list-servers.ts';
import { createFor, expectAppError, finish, makePrincipal, makeWorld } from '../testing/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
let w: Awaited<ReturnType<typeof makeWorld>>;
let admin: TPrincipal, alice: TPrincipal, bob: TPrincipal, reseller: TPrincipal, child: TPrincipal, otherChild: TPrincipal;
const owned = new Map<TPrincipal, string[]>();

const create = async (p: TPrincipal) => {
  const r = await createFor(db, p, w.plan.id, w.template.id);
  owned.set(p, [...(owned.get(p) ?? []), r.server.id]);
  return r;
};
const list = (principal: TPrincipal, q: Record<string, unknown> = {}) =>
  listServers({ db, principal, query: ZListServersQuery.parse({ limit: 200, ...q }) });
const ids = (rows: TServer[]) => rows.map((s) => s.id).sort();

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  w = await makeWorld(db, { cidr: '198.18.0.0/24', memoryMb: 1_000_000, diskGb: 100_000 });
  admin = await makePrincipal(db, { role: 'admin', scopes: ['admin:*'] });
  alice = w.principal;
  bob = await makePrincipal(db);
  reseller = await makePrincipal(db, { role: 'reseller' });
  const childTenant = await db.tenant.create({ data: { id: newId('tenant'), name: 'child', parentId: reseller.tenantId } });
  child = await makePrincipal(db, { tenantId: childTenant.id });
  const otherReseller = await makePrincipal(db, { role: 'reseller' });
  const otherTenant = await db.tenant.create({ data: { id: newId('tenant'), name: 'other', parentId: otherReseller.tenantId } });
  otherChild = await makePrincipal(db, { tenantId: otherTenant.id });
  for (const p of [alice, alice, bob, reseller, child, otherChild]) await create(p);
});
afterAll(async () => {
  await t?.drop();
});

describe('tenant isolation', () => {
  it("hides another tenant's server from get, act, delete and its operation: not_found, never forbidden", async () => {
    const target = await create(bob);
    const before = await db.operation.count({ where: { serverId: target.server.id } });
    await expectAppError(getServer({ db, principal: alice, serverId: target.server.id }), 'not_found');
    await expectAppError(actOnServer({ db, principal: alice, serverId: target.server.id, action: { type: 'stop' } }), 'not_found');
    await expectAppError(deleteServer({ db, principal: alice, serverId: target.server.id }), 'not_found');
    await expectAppError(getOperation({ db, principal: alice, operationId: target.operation.id }), 'not_found');
    // The owner's create is still pending and the server untouched.
    expect(await db.operation.count({ where: { serverId: target.server.id } })).toBe(before);
    expect((await getServer({ db, principal: bob, serverId: target.server.id })).status).toBe('provisioning');
    expect(await getOperation({ db, principal: bob, operationId: target.operation.id })).toMatchObject({ status: 'queued' });
  });

  it('lists only the caller’s own servers for a customer', async () => {
    expect(ids((await list(alice)).data)).toEqual([...owned.get(alice)!].sort());
    expect(ids((await list(bob)).data)).toEqual([...owned.get(bob)!].sort());
  });

  it('shows an admin every server', async () => {
    const all = await db.server.findMany({ select: { id: true } });
    expect(ids((await list(admin)).data)).toEqual(all.map((s) => s.id).sort());
    expect((await getServer({ db, principal: admin, serverId: owned.get(bob)![0]! })).tenantId).toBe(bob.tenantId);
  });

  it("shows a reseller its own and its child tenants' servers, and no one else's", async () => {
    const mine = [...owned.get(reseller)!, ...owned.get(child)!].sort();
    expect(ids((await list(reseller)).data)).toEqual(mine);
    const childServer = owned.get(child)![0]!;
    expect((await getServer({ db, principal: reseller, serverId: childServer })).tenantId).toBe(child.tenantId);
    // Visible, so the verb gets as far as the pending create.
    await expectAppError(actOnServer({ db, principal: reseller, serverId: childServer, action: { type: 'start' } }), 'operation_in_progress');
    await expectAppError(getServer({ db, principal: reseller, serverId: owned.get(otherChild)![0]! }), 'not_found');
    await expectAppError(getServer({ db, principal: reseller, serverId: owned.get(alice)![0]! }), 'not_found');
    // A child customer does not see its reseller's servers.
    await expectAppError(getServer({ db, principal: child, serverId: owned.get(reseller)![0]! }), 'not_found');
  });
});

describe('listServers', () => {
  const walk = async (p: TPrincipal, limit: number) => {
    const seen: TServer[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await list(p, { limit, ...(cursor ? { cursor } : {}) });
      expect(page.data.length).toBeLessThanOrEqual(limit);
      seen.push(...page.data);
      if (!page.nextCursor) return seen;
      cursor = page.nextCursor;
    }
    throw new Error('pagination did not end');
  };

  it('walks every server exactly once, newest first, with limit and cursor', async () => {
    const pager = await makePrincipal(db);
    const made: string[] = [];
    for (let i = 0; i < 23; i++) {
      made.push((await create(pager)).server.id);
      await sleep(3); // distinct created_at, so "newest first" is the creation order reversed
    }
    const seen = await walk(pager, 5);
    expect(seen.map((s) => s.id)).toEqual([...made].reverse());
  });

  it('keeps the walk exact when many servers share one created_at (ties broken by id)', async () => {
    const pager = await makePrincipal(db);
    for (let i = 0; i < 11; i++) await create(pager);
    await db.server.updateMany({ where: { tenantId: pager.tenantId }, data: { createdAt: new Date('2026-01-02T03:04:05.678Z') } });
    const seen = await walk(pager, 4);
    expect(seen.map((s) => s.id)).toEqual([...owned.get(pager)!].sort().reverse());
  });

  it('rejects a malformed cursor', async () => {
    const err = await expectAppError(list(alice, { cursor: 'not-a-cursor' }), 'validation_failed');
    expect(err.fieldErrors?.[0]?.path).toBe('cursor');
  });

  it('hides deleted servers unless asked for status=deleted', async () => {
    const p = await makePrincipal(db);
    const [gone, deleting, kept] = [await create(p), await create(p), await create(p)];
    for (const r of [gone, deleting]) await finish(db, { operationId: r.operation.id, serverId: r.server.id, hostId: w.host.id }, 'succeeded');
    const destroyGone = await deleteServer({ db, principal: p, serverId: gone.server.id });
    await deleteServer({ db, principal: p, serverId: deleting.server.id });
    await finish(db, { operationId: destroyGone.operation.id, serverId: gone.server.id, hostId: w.host.id }, 'succeeded');

    expect(ids((await list(p)).data)).toEqual([deleting.server.id, kept.server.id].sort());
    const deleted = await list(p, { status: 'deleted' });
    expect(deleted.data.map((s) => [s.id, s.status])).toEqual([[gone.server.id, 'deleted']]);
    expect((await list(p, { status: 'deleting' })).data.map((s) => s.id)).toEqual([deleting.server.id]);
  });
});
