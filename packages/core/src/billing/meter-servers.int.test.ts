// The meter against real Postgres: racing meters never bill an hour twice, a meter that was down catches
// up exactly, the monthly cap holds, and a plan change bills each part at its own rate.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '@berth/contracts';
import { createDb, type TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { createFor, makePlan, makeWorld } from '../testing/fixtures.ts';
import { HOUR_MS } from './clock.ts';
import { meterServers } from './meter-servers.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

const T0 = new Date('2031-03-01T00:00:00.000Z'); // far from today: no other server of the file is due then
const at = (hours: number, minutes = 0) => new Date(T0.getTime() + hours * HOUR_MS + minutes * 60_000);

/** A server created `createdAt` (the meter's watermark too), on a plan of `hourly` cents capped at `cap`. */
// Each world's pool gets its own /24 (a random one collided now and then: addresses are unique per database).
let cidrs = 100;
const serverAt = async (db: TDb, createdAt: Date, hourly: number, cap: number, w?: Awaited<ReturnType<typeof makeWorld>>) => {
  const world = w ?? (await makeWorld(db, { cidr: `198.18.${cidrs++}.0/24` }));
  const plan = await makePlan(db, { priceCentsMonthly: cap });
  await db.plan.update({ where: { id: plan.id }, data: { priceCentsHourly: hourly } });
  const { server } = await createFor(db, world.principal, plan.id, world.template.id);
  await db.server.update({ where: { id: server.id }, data: { createdAt, billedThrough: createdAt } });
  await db.serverPlanChange.updateMany({ where: { serverId: server.id }, data: { at: createdAt } });
  return { server, plan, world };
};

const usage = async (db: TDb, serverId: string) =>
  db.usageLine.findMany({ where: { serverId }, orderBy: [{ month: 'asc' }, { planId: 'asc' }] });

/** Meter until nothing is due at `now` (a whole tick of one worker). */
const drain = async (db: TDb, now: Date, batchSize = 200) => {
  let n = 0;
  for (let k; (k = await meterServers({ db, now, batchSize })) > 0;) n += k;
  return n;
};

it('two meters racing over the same servers bill every hour exactly once', async () => {
  const { db } = t;
  const first = await serverAt(db, T0, 3, 100_000);
  const servers = [first.server];
  for (let i = 0; i < 29; i++) servers.push((await serverAt(db, at(0, i), 3, 100_000, first.world)).server);
  // Two processes' worth of clients, small batches so they interleave.
  const other = createDb(t.url, { max: 4 });
  try {
    const now = at(48, 5);
    const [a, b] = await Promise.all([drain(db, now, 3), drain(other, now, 3)]);
    expect(a + b).toBeGreaterThanOrEqual(servers.length);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0); // both really worked
  } finally {
    await other.$disconnect();
  }
  for (const s of servers) {
    const lines = await usage(db, s.id);
    expect(lines.map((l) => [l.hours, l.amountCents])).toEqual([[48, 144]]);
  }
  expect(await drain(db, at(48, 59))).toBe(0); // nothing new within the same hour
});

it('a meter down for five hours catches up exactly, and a repeated tick changes nothing', async () => {
  const { db } = t;
  const { server } = await serverAt(db, at(100, 20), 7, 100_000);
  await drain(db, at(101, 1)); // bills the 100:00 hour (created mid-hour: counts whole)
  expect((await usage(db, server.id))[0]).toMatchObject({ hours: 1, amountCents: 7 });
  // Down from 101:01 to 106:10: the hours 101..105 are owed.
  await drain(db, at(106, 10));
  await drain(db, at(106, 10));
  expect((await usage(db, server.id))[0]).toMatchObject({ hours: 6, amountCents: 42 });
  const s = await db.server.findUniqueOrThrow({ where: { id: server.id } });
  expect(s.billedThrough.toISOString()).toBe(at(106).toISOString());
});

it('stops at the monthly cap, starts afresh next month, and stops billing after deletion', async () => {
  const { db } = t;
  const start = new Date('2031-04-30T20:00:00.000Z');
  const { server } = await serverAt(db, start, 10, 25);
  await drain(db, new Date('2031-05-01T02:00:00.000Z'));
  const lines = await usage(db, server.id);
  // April: 4 hours, capped at 25 (10 + 10 + 5 + 0); May: 2 hours at 10.
  expect(lines.map((l) => [l.month.toISOString().slice(0, 7), l.hours, l.amountCents])).toEqual([['2031-04', 4, 25], ['2031-05', 2, 20]]);
  await db.server.update({ where: { id: server.id }, data: { status: 'deleted', deletedAt: new Date('2031-05-01T02:20:00.000Z') } });
  await drain(db, new Date('2031-05-02T00:00:00.000Z'));
  expect((await usage(db, server.id)).at(-1)).toMatchObject({ hours: 3, amountCents: 25 }); // the 02:00 hour, then capped
});

it('a plan change bills the hours before it at the old rate and from its hour on at the new one', async () => {
  const { db } = t;
  const start = new Date('2031-06-01T00:00:00.000Z');
  const { server, world } = await serverAt(db, start, 2, 100_000);
  const bigger = await makePlan(db, { priceCentsMonthly: 100_000 });
  await db.plan.update({ where: { id: bigger.id }, data: { priceCentsHourly: 5 } });
  await db.serverPlanChange.create({ data: { id: newId('planChange'), serverId: server.id, planId: bigger.id, at: new Date('2031-06-01T02:30:00.000Z') } });
  await drain(db, new Date('2031-06-01T04:00:00.000Z'));
  const lines = await usage(db, server.id);
  const byPlan = new Map(lines.map((l) => [l.planId, [l.hours, l.amountCents, l.unitCents]]));
  expect(byPlan.get(bigger.id)).toEqual([2, 10, 5]); // 02:00 (changed before its end) and 03:00
  expect(lines.find((l) => l.planId !== bigger.id)).toMatchObject({ hours: 2, amountCents: 4, unitCents: 2 });
  expect(world).toBeDefined();
});
