// npm run bench:billing -- [--servers 20000] [--hours 2] [--meters 2] [--rounds 3]
// How fast the billing meter bills, the figure that says whether a deployment's fleet is billed within
// each hour: N servers (a tenant of 100 per reseller customer, half under a reseller so they have two
// payers) seeded straight into a private test database with `hours` unbilled hours each, then `meters`
// concurrent meters (as that many worker processes would) drain them. Prints servers/s and
// server-hours/s per round, and checks that every server-hour was billed exactly once.
import { parseArgs } from 'node:util';
import { newId } from '@berth/contracts';
import { createDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { meterServers } from '@berth/core';
import { makeHost, makePlan, makeTemplate } from '../prisma/seed/factories.ts';

const { values } = parseArgs({ options: { servers: { type: 'string', default: '20000' }, hours: { type: 'string', default: '2' }, meters: { type: 'string', default: '2' }, rounds: { type: 'string', default: '3' } } });
const N = Number(values.servers);
const HOURS = Number(values.hours);
const METERS = Number(values.meters);
const ROUNDS = Number(values.rounds);

const t = await createTestDatabase();
try {
  const db = t.db;
  const [plan, template, host] = await Promise.all([makePlan(db, { priceCentsMonthly: 672 }), makeTemplate(db), makeHost(db, { cidr: '198.18.0.0/24' })]);
  const reseller = await db.tenant.create({ data: { id: newId('tenant'), name: 'bench reseller' } });
  const tenants: string[] = [];
  for (let i = 0; i < Math.ceil(N / 100); i++) {
    tenants.push((await db.tenant.create({ data: { id: newId('tenant'), name: `bench ${i}`, parentId: i % 2 ? reseller.id : null } })).id);
  }
  // Round r bills the hours [T0 + r*HOURS, T0 + (r+1)*HOURS): same servers, fresh hours each round.
  const T0 = Date.UTC(2040, 0, 10, 0);
  const ids: string[] = [];
  for (let i = 0; i < N; i += 2000) {
    const rows = Array.from({ length: Math.min(2000, N - i) }, (_, j) => {
      const n = i + j;
      const id = newId('server');
      ids.push(id);
      return {
        id, tenantId: tenants[Math.floor(n / 100)]!, hostname: `bench-${n}.example.com`, status: 'running' as const, planId: plan.id, templateId: template.id,
        hostId: host.id, mac: `02:00:${[n >> 16, n >> 8, n].map((x) => (x & 255).toString(16).padStart(2, '0')).join(':')}:00`, sshKeys: [],
        createdAt: new Date(T0), billedThrough: new Date(T0),
      };
    });
    await db.server.createMany({ data: rows });
  }
  console.log(`seeded ${N} servers in ${tenants.length} tenants (half under a reseller: two payers each)`);
  const meters = Array.from({ length: METERS }, () => createDb(t.url, { max: 2 }));
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const now = new Date(T0 + (r + 1) * HOURS * 3_600_000 + 60_000);
      const start = performance.now();
      const counts = await Promise.all(meters.map(async (m) => {
        let n = 0;
        for (let k; (k = await meterServers({ db: m, now })) > 0;) n += k;
        return n;
      }));
      const s = (performance.now() - start) / 1000;
      const metered = counts.reduce((a, b) => a + b, 0);
      console.log(`round ${r + 1}: ${metered} servers x ${HOURS} h in ${s.toFixed(1)} s -> ${(metered / s).toFixed(0)} servers/s, ${((metered * HOURS) / s).toFixed(0)} server-hours/s (meters: ${counts.join(' + ')})`);
    }
  } finally {
    await Promise.all(meters.map((m) => m.$disconnect()));
  }
  // Exactly once: every server has ROUNDS*HOURS hours on its own line (and its reseller's, if any).
  const [check] = await db.$queryRaw<{ wrong: bigint }[]>`
    SELECT count(*)::bigint AS wrong FROM (
      SELECT server_id, tenant_id, sum(hours) AS h FROM usage_lines GROUP BY 1, 2) x WHERE x.h <> ${ROUNDS * HOURS}`;
  const lines = await db.usageLine.count();
  console.log(`check: ${lines} usage lines, ${Number(check!.wrong)} with a wrong hour count (must be 0)`);
  if (Number(check!.wrong) !== 0) process.exitCode = 1;
} finally {
  await t.drop();
}
