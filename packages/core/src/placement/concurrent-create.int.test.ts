import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { AppError } from '../errors/app-error.ts';
import { createFor, hostCounters, makeWorld } from '../testing/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
beforeEach(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterEach(async () => {
  await t.drop();
});

type TResult = Awaited<ReturnType<typeof createFor>>;

/** Fire `n` creates at once and split the outcomes; anything but an AppError is a test failure. */
const burst = async (n: number, run: () => Promise<TResult>) => {
  const settled = await Promise.allSettled(Array.from({ length: n }, run));
  const ok = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  for (const e of errors) expect(e, String(e)).toBeInstanceOf(AppError);
  return { ok, codes: errors.map((e) => (e as AppError).code) };
};

describe('concurrent createServer on one host', () => {
  it('never oversells memory: 30 creates for room of 10 give exactly 10 servers with distinct IPs and uid slots', async () => {
    const { plan, template, principal, host } = await makeWorld(db, { cidr: '198.18.0.0/24' });
    await db.host.update({ where: { id: host.id }, data: { memoryMb: plan.memoryMb * 10 } });

    const { ok, codes } = await burst(30, () => createFor(db, principal, plan.id, template.id));

    expect(ok).toHaveLength(10);
    expect(codes).toEqual(Array(20).fill('no_capacity'));
    expect(new Set(ok.map((r) => r.server.ipv4)).size).toBe(10);
    expect(ok.every((r) => r.server.ipv4 && r.server.hostId === host.id)).toBe(true);

    const ranges = await db.uidRange.findMany({ where: { hostId: host.id } });
    expect(ranges).toHaveLength(10);
    expect(new Set(ranges.map((r) => r.slot)).size).toBe(10);
    expect(new Set(ranges.map((r) => r.serverId))).toEqual(new Set(ok.map((r) => r.server.id)));

    expect(await hostCounters(db, host.id)).toEqual({ cpu: 10 * plan.cpuCores, memoryMb: 10 * plan.memoryMb, diskGb: 10 * plan.diskGb });
    expect(await db.server.count()).toBe(10);
    expect(await db.operation.count({ where: { type: 'create', status: 'queued' } })).toBe(10);
    expect(await db.ipAddress.count({ where: { serverId: { not: null } } })).toBe(10);
  });

  it('rolls back the failed ones when the address pool runs out first', async () => {
    // A /29 has 5 usable addresses; memory would fit 10.
    const { plan, template, principal, host } = await makeWorld(db, { cidr: '198.18.9.0/29' });
    await db.host.update({ where: { id: host.id }, data: { memoryMb: plan.memoryMb * 10 } });

    const { ok, codes } = await burst(12, () => createFor(db, principal, plan.id, template.id));

    expect(ok).toHaveLength(5);
    expect(codes).toEqual(Array(7).fill('no_ip_available'));
    expect(new Set(ok.map((r) => r.server.ipv4)).size).toBe(5);
    expect(await hostCounters(db, host.id)).toEqual({ cpu: 5 * plan.cpuCores, memoryMb: 5 * plan.memoryMb, diskGb: 5 * plan.diskGb });
    expect(await db.server.count()).toBe(5);
    expect(await db.uidRange.count()).toBe(5);
    expect(await db.operation.count()).toBe(5);
  });
});
