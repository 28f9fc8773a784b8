import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { AppError } from '../errors/app-error.ts';
import { deleteServer } from '../servers/delete-server.ts';
import { createFor, finish, hostCounters, makeHost, makeWorld } from '../testing/fixtures.ts';

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

describe('concurrent createServer', () => {
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

  it('spills over to the next host when the emptiest one fills up mid-burst, and skips hosts not online', async () => {
    const { plan, template, principal, host: a } = await makeWorld(db, { cidr: '198.18.1.0/24', memoryMb: 0 });
    const b = await makeHost(db, { cidr: '198.18.2.0/24' });
    const down = await makeHost(db, { cidr: '198.18.3.0/24', memoryMb: 1_000_000, status: 'offline' });
    const busy = await makeHost(db, { cidr: '198.18.4.0/24', memoryMb: 1_000_000, status: 'maintenance' });
    await db.host.update({ where: { id: a.id }, data: { memoryMb: plan.memoryMb * 10 } });
    await db.host.update({ where: { id: b.id }, data: { memoryMb: plan.memoryMb * 10 } });

    const { ok, codes } = await burst(30, () => createFor(db, principal, plan.id, template.id));

    expect(ok).toHaveLength(20);
    expect(codes).toEqual(Array(10).fill('no_capacity'));
    const onHost = (id: string) => ok.filter((r) => r.server.hostId === id);
    expect(onHost(a.id)).toHaveLength(10);
    expect(onHost(b.id)).toHaveLength(10);
    // Each server's address comes from its own host's pool.
    expect(onHost(a.id).every((r) => r.server.ipv4?.startsWith('198.18.1.'))).toBe(true);
    expect(onHost(b.id).every((r) => r.server.ipv4?.startsWith('198.18.2.'))).toBe(true);
    for (const h of [a, b]) expect((await hostCounters(db, h.id)).memoryMb).toBe(10 * plan.memoryMb);
    for (const h of [down, busy]) expect(await hostCounters(db, h.id)).toEqual({ cpu: 0, memoryMb: 0, diskGb: 0 });
  });

  it('keeps host counters, uid ranges and addresses equal to the live servers under concurrent creates and destroys', async () => {
    const { plan, template, principal, host } = await makeWorld(db, { cidr: '198.18.0.0/24' });
    await db.host.update({ where: { id: host.id }, data: { memoryMb: plan.memoryMb * 12 } });
    const live = [];
    for (let i = 0; i < 10; i++) {
      const r = await createFor(db, principal, plan.id, template.id);
      await finish(db, { operationId: r.operation.id, serverId: r.server.id, hostId: host.id }, 'succeeded');
      const { operation } = await deleteServer({ db, principal, serverId: r.server.id });
      live.push({ serverId: r.server.id, operationId: operation.id, hostId: host.id });
    }
    const [destroys, creates] = await Promise.all([
      Promise.allSettled(live.map((at) => finish(db, at, 'succeeded'))),
      burst(15, () => createFor(db, principal, plan.id, template.id)),
    ]);
    expect(destroys.every((d) => d.status === 'fulfilled')).toBe(true);
    expect(creates.ok.length).toBeGreaterThanOrEqual(2);
    expect(creates.codes.every((c) => c === 'no_capacity')).toBe(true);

    const alive = await db.server.count({ where: { hostId: host.id, status: { not: 'deleted' } } });
    expect(alive).toBe(creates.ok.length);
    expect(await hostCounters(db, host.id)).toEqual({ cpu: alive * plan.cpuCores, memoryMb: alive * plan.memoryMb, diskGb: alive * plan.diskGb });
    expect(await db.uidRange.count({ where: { hostId: host.id } })).toBe(alive);
    expect(await db.ipAddress.count({ where: { serverId: { not: null } } })).toBe(alive);
    const slots = await db.uidRange.findMany({ where: { hostId: host.id } });
    expect(new Set(slots.map((u) => u.slot)).size).toBe(alive);
  });

  it('answers no_capacity, not a Postgres deadlock, when two hosts fill up under creates that ranked them differently', async () => {
    // Replays an interleaving seen in bursts: X ranks host A first, Y ranks B first; both fill while they wait,
    // so each skips its full first choice and moves on to the host the other one holds. The last hand-over is
    // a race between two woken backends, so the replay runs a few rounds.
    const { plan, template, principal } = await makeWorld(db, { cidr: '198.18.0.0/24', status: 'offline' });
    const p = plan.memoryMb;
    const [t1, t2, watch] = [new pg.Client(t.url), new pg.Client(t.url), new pg.Client(t.url)];
    await Promise.all([t1.connect(), t2.connect(), watch.connect()]);
    const until = async (sql: string, n: number, { required = true } = {}) => {
      for (let i = 0; i < 400; i++) {
        if ((await watch.query(sql)).rows[0].n >= n) return;
        await sleep(5);
      }
      if (required) throw new Error(`timed out waiting for: ${sql}`);
    };
    const waiters = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    const tupleWaiters = `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND locktype = 'tuple'`;
    const attempt = () => createFor(db, principal, plan.id, template.id).then(() => 'placed', (e: unknown) => e);
    try {
      for (let round = 1; round <= 3; round++) {
        const a = await makeHost(db, { cidr: `198.18.${10 * round + 1}.0/24`, memoryMb: 2 * p });
        const b = await makeHost(db, { cidr: `198.18.${10 * round + 2}.0/24`, memoryMb: 3 * p });
        await db.host.update({ where: { id: b.id }, data: { allocMemoryMb: 2 * p } });

        await t1.query('BEGIN');
        await t1.query('SELECT 1 FROM hosts WHERE id = $1 FOR UPDATE', [a.id]); // a create in flight on A
        const x = attempt(); // ranks A (2p free) before B (p free) and waits for A
        await until(waiters, 1);
        await db.host.update({ where: { id: b.id }, data: { allocMemoryMb: 0 } }); // B: 3p free
        await t2.query('BEGIN');
        await t2.query('SELECT 1 FROM hosts WHERE id = $1 FOR UPDATE', [b.id]); // a create in flight on B
        const y = attempt(); // ranks B before A and waits for B
        await until(waiters, 2);
        await t1.query('UPDATE hosts SET alloc_memory_mb = memory_mb WHERE id = $1', [a.id]);
        await t1.query('COMMIT'); // A is full: X skips it (keeping its row lock) and queues for B behind Y
        await until(tupleWaiters, 1, { required: false }); // how X waits depends on the locking scheme
        await t2.query('UPDATE hosts SET alloc_memory_mb = memory_mb WHERE id = $1', [b.id]);
        await t2.query('COMMIT'); // B is full: Y skips it and goes for A, which X holds

        const outcomes = await Promise.all([x, y]);
        for (const o of outcomes) {
          expect(o, `round ${round}: ${String(o)}`).toBeInstanceOf(AppError);
          expect((o as AppError).code).toBe('no_capacity');
        }
        await db.host.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { status: 'offline' } });
      }
      expect(await db.server.count()).toBe(0);
    } finally {
      await Promise.all([t1.end(), t2.end(), watch.end()]);
    }
  });
});
