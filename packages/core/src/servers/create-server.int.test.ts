import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId, ZCreateServerResponse } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { createServer } from './create-server.ts';
import { deleteServer } from './delete-server.ts';
import {
  createFor, expectAppError, finish, hostCounters, makeHost, makePlan, makePrincipal, makeWorld, nextHostname,
} from '../testing/fixtures.ts';

// Placement considers every online host in the database, so each test gets a database of its own.
let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
beforeEach(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterEach(async () => {
  await t.drop();
});

const rowCounts = async () => ({
  servers: await db.server.count(),
  operations: await db.operation.count(),
  uidRanges: await db.uidRange.count(),
  takenIps: await db.ipAddress.count({ where: { serverId: { not: null } } }),
  audit: await db.auditEvent.count(),
});

describe('createServer', () => {
  it('returns the 202 body: a provisioning server with a pool address and a queued, undispatched create', async () => {
    const { plan, template, principal, host } = await makeWorld(db, { cidr: '198.18.0.0/24' });
    const res = await createFor(db, principal, plan.id, template.id);

    expect(ZCreateServerResponse.parse(res)).toEqual(res);
    expect(res.server).toMatchObject({ status: 'provisioning', hostId: host.id, tenantId: principal.tenantId, planId: plan.id });
    expect(res.server.ipv4).toMatch(/^198\.18\.0\.\d+$/);
    expect(res.operation).toMatchObject({ type: 'create', status: 'queued', serverId: res.server.id, progress: 0 });

    const op = await db.operation.findUniqueOrThrow({ where: { id: res.operation.id } });
    expect(op.dispatchedAt).toBeNull();
    expect(op.hostId).toBe(host.id);
    const ip = await db.ipAddress.findUniqueOrThrow({ where: { address: res.server.ipv4! } });
    expect(ip.serverId).toBe(res.server.id);
    expect(ip.allocatedAt).toBeInstanceOf(Date);
    const range = await db.uidRange.findFirstOrThrow({ where: { serverId: res.server.id } });
    expect(range).toMatchObject({ hostId: host.id, slot: 0 });
    expect(await hostCounters(db, host.id)).toEqual({ cpu: plan.cpuCores, memoryMb: plan.memoryMb, diskGb: plan.diskGb });
    expect(await db.auditEvent.count({ where: { action: 'server.create', targetId: res.server.id } })).toBe(1);
  });

  it('takes a new address and the next uid slot for each server', async () => {
    const { plan, template, principal, host } = await makeWorld(db, { cidr: '198.18.0.0/24' });
    const a = await createFor(db, principal, plan.id, template.id);
    const b = await createFor(db, principal, plan.id, template.id);
    expect(a.server.ipv4).not.toBe(b.server.ipv4);
    const slots = await db.uidRange.findMany({ where: { hostId: host.id }, orderBy: { slot: 'asc' } });
    expect(slots.map((r) => [r.slot, r.serverId])).toEqual([[0, a.server.id], [1, b.server.id]]);
    expect((await hostCounters(db, host.id)).memoryMb).toBe(2 * plan.memoryMb);
  });

  it('reuses released addresses only when fresh ones run out, the longest-released first', async () => {
    // A /29 has 5 usable addresses: .2 to .6.
    const { plan, template, principal, host } = await makeWorld(db, { cidr: '198.18.8.0/29' });
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await createFor(db, principal, plan.id, template.id));
    expect(made.map((m) => m.server.ipv4)).toEqual(['198.18.8.2', '198.18.8.3', '198.18.8.4', '198.18.8.5', '198.18.8.6']);
    for (const m of [made[3]!, made[1]!]) {
      await finish(db, { operationId: m.operation.id, serverId: m.server.id, hostId: host.id }, 'failed', { state: 'absent' });
      const { operation } = await deleteServer({ db, principal, serverId: m.server.id });
      await finish(db, { operationId: operation.id, serverId: m.server.id, hostId: host.id }, 'succeeded');
      await sleep(5);
    }
    const again = [await createFor(db, principal, plan.id, template.id), await createFor(db, principal, plan.id, template.id)];
    expect(again.map((m) => m.server.ipv4)).toEqual(['198.18.8.5', '198.18.8.3']);
    await expectAppError(createFor(db, principal, plan.id, template.id), 'no_ip_available');
  });

  it('rejects an unknown or inactive plan and template with field errors', async () => {
    const { plan, template, principal } = await makeWorld(db);
    const both = await expectAppError(
      createServer({ db, principal, input: { hostname: nextHostname(), planId: newId('plan'), templateId: newId('template') } }),
      'validation_failed',
    );
    expect(both.fieldErrors?.map((e) => e.path).sort()).toEqual(['planId', 'templateId']);

    const retired = await db.plan.update({ where: { id: (await makePlan(db)).id }, data: { active: false } });
    const onlyPlan = await expectAppError(createFor(db, principal, retired.id, template.id), 'validation_failed');
    expect(onlyPlan.fieldErrors?.map((e) => e.path)).toEqual(['planId']);

    const onlyTemplate = await expectAppError(createFor(db, principal, plan.id, newId('template')), 'validation_failed');
    expect(onlyTemplate.fieldErrors?.map((e) => e.path)).toEqual(['templateId']);
    expect(await db.server.count()).toBe(0);
  });

  it('refuses a principal without servers:write', async () => {
    const { plan, template } = await makeWorld(db);
    const reader = await makePrincipal(db, { scopes: ['servers:read'] });
    await expectAppError(createFor(db, reader, plan.id, template.id), 'forbidden');
    expect(await db.server.count()).toBe(0);
  });

  it('fails with no_capacity when no online host has room, and leaves nothing behind', async () => {
    const { template, principal, host } = await makeWorld(db, { memoryMb: 4096, diskGb: 100 });
    await makeHost(db, { cidr: '198.19.0.0/24', memoryMb: 1_000_000, status: 'maintenance' });
    const tooBig = await makePlan(db, { memoryMb: 8192 });
    const tooMuchDisk = await makePlan(db, { memoryMb: 512, diskGb: 200 });
    const before = await rowCounts();
    await expectAppError(createFor(db, principal, tooBig.id, template.id), 'no_capacity');
    await expectAppError(createFor(db, principal, tooMuchDisk.id, template.id), 'no_capacity');
    expect(await rowCounts()).toEqual(before);
    expect(await hostCounters(db, host.id)).toEqual({ cpu: 0, memoryMb: 0, diskGb: 0 });
  });

  it('fails with no_ip_available when the pool is exhausted and rolls the whole create back', async () => {
    // A /30 leaves a single usable address once network, bridge and broadcast are taken out.
    const { plan, template, principal, host } = await makeWorld(db, { cidr: '198.18.7.0/30' });
    expect(await db.ipAddress.count()).toBe(1);
    const first = await createFor(db, principal, plan.id, template.id);
    expect(first.server.ipv4).toBe('198.18.7.2');

    const before = await rowCounts();
    const countersBefore = await hostCounters(db, host.id);
    await expectAppError(createFor(db, principal, plan.id, template.id), 'no_ip_available');
    expect(await rowCounts()).toEqual(before);
    expect(await hostCounters(db, host.id)).toEqual(countersBefore);
    expect(countersBefore.memoryMb).toBe(plan.memoryMb);
  });

  it('places on another host with a free address when the emptiest host’s pool is exhausted', async () => {
    const { plan, template, principal, host } = await makeWorld(db, { cidr: '198.18.0.0/24' });
    const roomy = await makeHost(db, { cidr: '198.18.7.0/30', memoryMb: 1_000_000 }); // most free memory, one address
    const first = await createFor(db, principal, plan.id, template.id);
    expect(first.server.hostId).toBe(roomy.id);

    const second = await createFor(db, principal, plan.id, template.id);
    expect(second.server.hostId).toBe(host.id);
    expect(second.server.ipv4).toMatch(/^198\.18\.0\./);
    expect((await hostCounters(db, roomy.id)).memoryMb).toBe(plan.memoryMb);
  });

  it('fails with no_capacity when the host has no uid slot left, and rolls back', async () => {
    const { plan, template, principal, host } = await makeWorld(db, { uidSlots: 1 });
    await createFor(db, principal, plan.id, template.id);
    const before = await rowCounts();
    await expectAppError(createFor(db, principal, plan.id, template.id), 'no_capacity');
    expect(await rowCounts()).toEqual(before);
    expect((await hostCounters(db, host.id)).memoryMb).toBe(plan.memoryMb);
  });
});

describe('placement pinned by an admin', () => {
  it('puts the server on the chosen host only, refuses a full or offline one, and only admins may choose', async () => {
    const w = await makeWorld(db, { cidr: '198.18.60.0/24', memoryMb: 64 * 1024 });
    const small = await makeHost(db, { cidr: '198.18.61.0/24', memoryMb: 1024 });
    const admin = await makePrincipal(db, { role: 'admin', scopes: ['servers:read', 'servers:write', 'admin:*'] });
    const order = (p: typeof admin, hostId: string) => createServer({ db, principal: p, input: { hostname: nextHostname(), planId: w.plan.id, templateId: w.template.id, hostId } });
    // Unpinned, the roomier host wins; pinned, the small one is used while it has room.
    expect((await createFor(db, admin, w.plan.id, w.template.id)).server.hostId).toBe(w.host.id);
    expect((await order(admin, small.id)).server.hostId).toBe(small.id);
    expect((await order(admin, small.id)).server.hostId).toBe(small.id); // 2 x 512 MB = its 1024
    const full = await expectAppError(order(admin, small.id), 'no_capacity');
    expect(full.message).toContain(small.id);
    await db.host.update({ where: { id: w.host.id }, data: { status: 'offline' } });
    await expectAppError(order(admin, w.host.id), 'no_capacity');
    await expectAppError(order(w.principal, small.id), 'forbidden');
  });
});
