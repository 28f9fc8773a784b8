// Graph data from samples: rates from counters (a VPS restart resets them), hourly rollups run once,
// raw samples expire, and only the server's own host may write its samples.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@berth/db/testing';
import { createFor, expectAppError, makePrincipal, makeWorld } from '../testing/fixtures.ts';
import { getCpuSparklines } from './get-cpu-sparklines.ts';
import { getServerMetrics } from './get-server-metrics.ts';
import { recordMetrics } from './record-metrics.ts';
import { rollupMetrics } from './rollup-metrics.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

const MB = 2 ** 20;

it('turns counters into rates, survives a counter reset, rolls hours up once and expires raw samples', async () => {
  const { db } = t;
  const w = await makeWorld(db, { cidr: '198.18.0.0/24' });
  const { server } = await createFor(db, w.principal, w.plan.id, w.template.id);
  const now = new Date('2026-11-27T12:30:00Z');
  // 2.5 hours of 30 s samples: half a core busy, 1 MB/s written, 100 KB/s in; a restart at 11:00 resets counters.
  let cpu = 0; let wrote = 0; let rx = 0;
  for (let at = now.getTime() - 150 * 60_000; at < now.getTime(); at += 30_000) {
    if (at === Date.parse('2026-11-27T11:00:00Z')) { cpu = 0; wrote = 0; rx = 0; }
    else { cpu += 15e9; wrote += 30 * MB; rx += 30 * 100_000; }
    const sample = { serverId: server.id, cpuNs: cpu, memoryBytes: 256 * MB, diskUsedBytes: 900 * MB, ioReadBytes: 0, ioWriteBytes: wrote, netRxBytes: rx, netTxBytes: 0 };
    await recordMetrics({ db, event: { hostId: w.host.id, at: new Date(at).toISOString(), samples: [sample] } });
  }
  // Another host cannot write this server's samples; a redelivered batch is ignored.
  const other = await makeWorld(db, { cidr: '198.18.1.0/24' });
  const forged = { serverId: server.id, cpuNs: 1, memoryBytes: 1, diskUsedBytes: 1, ioReadBytes: 1, ioWriteBytes: 1, netRxBytes: 1, netTxBytes: 1 };
  expect(await recordMetrics({ db, event: { hostId: other.host.id, at: now.toISOString(), samples: [forged] } })).toBe(0);

  const hour = await getServerMetrics({ db, principal: w.principal, serverId: server.id, query: { range: 'hour' }, now });
  expect(hour.stepSeconds).toBe(60);
  expect(hour.points.length).toBeGreaterThanOrEqual(59);
  for (const p of hour.points.slice(1)) {
    expect(p.cpuCores).toBeCloseTo(0.5, 5);
    expect(p.ioWriteBps).toBeCloseTo(MB, 0);
    expect(p.netRxBps).toBeCloseTo(100_000, 0);
    expect(p.memoryBytes).toBe(256 * MB);
  }

  const spark = await getCpuSparklines({ db, principal: w.principal, serverIds: [server.id], now });
  expect(spark.get(server.id)).toHaveLength(12);
  for (const v of spark.get(server.id)!.slice(0, 11)) expect(v).toBeCloseTo(0.5, 3); // the last step is still filling
  const strangerView = await getCpuSparklines({ db, principal: await makePrincipal(db), serverIds: [server.id], now });
  expect(strangerView.size).toBe(0);

  const rolled = await rollupMetrics({ db, now, keepRawHours: 26 });
  expect(rolled.hours).toBeGreaterThanOrEqual(1);
  expect((await rollupMetrics({ db, now })).hours).toBe(0); // each hour once
  const h11 = await db.serverMetricHourly.findUniqueOrThrow({ where: { serverId_hour: { serverId: server.id, hour: new Date('2026-11-27T11:00:00Z') } } });
  // 11:00-12:00: the 11:00 sample is a reset (counts as its own value, 0), then 119 samples of 15 s CPU each.
  expect(h11.cpuSeconds).toBeCloseTo(119 * 15, 5);
  expect(Number(h11.ioWriteBytes)).toBe(119 * 30 * MB);
  expect(Number(h11.memoryMaxBytes)).toBe(256 * MB);
  const month = await getServerMetrics({ db, principal: w.principal, serverId: server.id, query: { range: 'month' }, now });
  expect(month.points.find((p) => p.at === '2026-11-27T11:00:00.000Z')?.cpuCores).toBeCloseTo((119 * 15) / 3600, 5);

  // Raw samples older than the kept window go; the hourly rows stay.
  const later = new Date(now.getTime() + 27 * 3_600_000);
  const gone = await rollupMetrics({ db, now: later, keepRawHours: 26 });
  expect(gone.deleted).toBeGreaterThan(0);
  expect(await db.serverMetricHourly.count({ where: { serverId: server.id } })).toBeGreaterThanOrEqual(2);

  // Someone else's server: 404.
  const stranger = await makePrincipal(db);
  await expectAppError(getServerMetrics({ db, principal: stranger, serverId: server.id, query: { range: 'hour' }, now }), 'not_found');
});
