// Tenant quotas under concurrency: the tenant row lock makes check-and-create one step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { AppError } from '../errors/app-error.ts';
import { resizeServer } from '../servers/resize-server.ts';
import { createFor, expectAppError, finish, makePlan, makePrincipal, makeWorld } from '../testing/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => t?.drop());

const outcomes = async (runs: Promise<unknown>[]) => {
  const settled = await Promise.allSettled(runs);
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  for (const e of errors) expect(e, String(e)).toBeInstanceOf(AppError);
  return { ok: settled.length - errors.length, codes: errors.map((e) => (e as AppError).code) };
};

describe('tenant quotas', () => {
  it('50 concurrent creates against a quota of 5 servers create exactly 5', async () => {
    const w = await makeWorld(db, { memoryMb: 1_000_000, diskGb: 1_000_000, cidr: '198.18.0.0/24' });
    await db.tenant.update({ where: { id: w.principal.tenantId }, data: { maxServers: 5 } });
    const { ok, codes } = await outcomes(Array.from({ length: 50 }, () => createFor(db, w.principal, w.plan.id, w.template.id)));
    expect(ok).toBe(5);
    expect(codes).toEqual(Array(45).fill('quota_exceeded'));
    expect(await db.server.count({ where: { tenantId: w.principal.tenantId } })).toBe(5);
    expect(await db.ipAddress.count({ where: { server: { tenantId: w.principal.tenantId } } })).toBe(5);
  });

  it('caps cores, memory and disk too, and a reseller quota covers all of its customers', async () => {
    const w = await makeWorld(db, { memoryMb: 1_000_000, diskGb: 1_000_000, cidr: '198.18.1.0/24' });
    const plan = await makePlan(db, { cpuCores: 1, memoryMb: 1024, diskGb: 10 });
    const reseller = await makePrincipal(db, { role: 'reseller' });
    await db.tenant.update({ where: { id: reseller.tenantId }, data: { maxMemoryMb: 3072 } });
    const customers = await Promise.all([0, 1, 2].map(async () => {
      const tenantId = newId('tenant');
      await db.tenant.create({ data: { id: tenantId, name: 'customer', parentId: reseller.tenantId } });
      return makePrincipal(db, { tenantId });
    }));
    await db.tenant.update({ where: { id: customers[0]!.tenantId }, data: { maxCpuCores: 1.5 } });

    // Customer 0 may hold one 1-core server; the reseller's 3 GB holds three servers across customers.
    const runs = customers.flatMap((c) => [createFor(db, c, plan.id, w.template.id), createFor(db, c, plan.id, w.template.id)]);
    const { ok, codes } = await outcomes(runs);
    expect(ok).toBe(3);
    expect(codes.every((c) => c === 'quota_exceeded')).toBe(true);
    const held = await db.server.findMany({ where: { tenant: { parentId: reseller.tenantId } } });
    expect(held).toHaveLength(3);
    expect(held.filter((s) => s.tenantId === customers[0]!.tenantId).length).toBeLessThanOrEqual(1);

    const over = await expectAppError(createFor(db, customers[1]!, plan.id, w.template.id), 'quota_exceeded');
    expect(over.message).toMatch(/reseller's quota allows 3072 memoryMb/);
    expect(over.status).toBe(409);
    // The reseller ordering for itself is judged with its customers' servers too.
    const own = await expectAppError(createFor(db, reseller, plan.id, w.template.id), 'quota_exceeded');
    expect(own.message).toMatch(/^Your quota allows 3072 memoryMb/);
  });

  it('counts a resize at its larger plan, so queued growth cannot be spent twice', async () => {
    const w = await makeWorld(db, { memoryMb: 1_000_000, diskGb: 1_000_000, cidr: '198.18.2.0/24' });
    const small = await makePlan(db, { memoryMb: 1024, diskGb: 10 });
    const big = await makePlan(db, { memoryMb: 2048, diskGb: 10 });
    await db.tenant.update({ where: { id: w.principal.tenantId }, data: { maxMemoryMb: 3072 } });
    const a = await createFor(db, w.principal, small.id, w.template.id);
    const b = await createFor(db, w.principal, small.id, w.template.id);
    for (const s of [a, b]) await finish(db, { operationId: s.operation.id, serverId: s.server.id, hostId: s.server.hostId }, 'succeeded', { state: 'running' });

    // 1 + 1 GB used: one of two concurrent upgrades to 2 GB fits (1 + 2 = 3), not both (2 + 2).
    const { ok, codes } = await outcomes([a, b].map((s) => resizeServer({ db, principal: w.principal, serverId: s.server.id, input: { planId: big.id } })));
    expect(ok).toBe(1);
    expect(codes).toEqual(['quota_exceeded']);
    await expectAppError(createFor(db, w.principal, small.id, w.template.id), 'quota_exceeded'); // the queued growth is held

    // Over quota (lowered since): growth is refused, moving down is not.
    const grown = await db.operation.findFirstOrThrow({ where: { type: 'resize', status: 'queued' } });
    await finish(db, { operationId: grown.id, serverId: grown.serverId!, hostId: grown.hostId }, 'succeeded', { state: 'running' });
    await db.tenant.update({ where: { id: w.principal.tenantId }, data: { maxMemoryMb: 1024 } });
    const bigOne = await db.server.findFirstOrThrow({ where: { planId: big.id } });
    const down = await resizeServer({ db, principal: w.principal, serverId: bigOne.id, input: { planId: small.id } });
    expect(down.operation.type).toBe('resize');
  });
});
