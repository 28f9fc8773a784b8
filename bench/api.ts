// npm run bench:api -- [--servers 10000] [--rate 200] [--seconds 20] [--rounds 3]
// Seeds N servers for one customer tenant straight into a private database, then drives list and get
// through the typed client at a fixed open-loop request rate (requests leave on schedule whether or not
// earlier ones came back), and prints p50/p99 latency and achieved throughput per endpoint (after 3 s of
// warm-up at the same rate).
import { parseArgs } from 'node:util';
import { createBerthClient } from '@berth/client';
import { newId } from '@berth/contracts';
import { createDb } from '@berth/db';
import { startStack } from '../e2e/support/stack.ts';
import { keyByLogin, makeTenantUser } from '../e2e/support/accounts.ts';
import { quantile } from './ssh-probe.ts';

const { values } = parseArgs({ options: { servers: { type: 'string', default: '10000' }, rate: { type: 'string', default: '200' }, seconds: { type: 'string', default: '20' }, rounds: { type: 'string', default: '3' } } });
const N = Number(values.servers);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);

// Rate limits would cap one key at 20 req/s: the bench measures the API, not the limiter.
const stack = await startStack({ withAgent: false, env: { RATE_LIMIT_PER_KEY: '10000000', RATE_LIMIT_PER_IP: '10000000' } });
try {
  const admin = createBerthClient({ baseUrl: stack.baseUrl, apiKey: stack.adminKey });
  const who = await makeTenantUser(admin, { role: 'customer', tenantName: 'bench customer' });
  const { key } = await keyByLogin(stack.baseUrl, who.email, who.password, { scopes: ['servers:read'] });
  const client = createBerthClient({ baseUrl: stack.baseUrl, apiKey: key });

  const db = createDb(stack.env.DATABASE_URL!);
  const plan = await db.plan.findFirstOrThrow({ where: { name: 'nano' } });
  const template = await db.template.findFirstOrThrow();
  const t0 = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < N; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, N - i) }, (_, j) => {
      const id = newId('server');
      ids.push(id);
      const n = i + j;
      return {
        id, tenantId: who.tenantId, hostname: `bench-${n}.example.com`, status: (n % 7 === 0 ? 'stopped' : 'running') as 'running' | 'stopped',
        planId: plan.id, templateId: template.id, hostId: stack.hostId, mac: `02:00:${[n >> 16, n >> 8, n].map((x) => (x & 255).toString(16).padStart(2, '0')).join(':')}:00`,
        createdAt: new Date(Date.now() - (N - n) * 1000),
      };
    });
    await db.server.createMany({ data: batch });
  }
  await db.$executeRawUnsafe('ANALYZE servers');
  await db.$disconnect();
  console.log(`seeded ${N} servers for one customer in ${((performance.now() - t0) / 1000).toFixed(1)} s`);


  type TKind = 'list (first page)' | 'list (deep cursor)' | 'get';
  const lat: Record<TKind, number[]> = { 'list (first page)': [], 'list (deep cursor)': [], get: [] };
  let errors = 0;
  const slow: number[] = []; // the second of the run each answer over 50 ms was sent in
  // A cursor deep into the list (page ~100): keyset pagination must cost the same as page 1.
  let deep: string | undefined;
  for (let p = 0; p < 100; p++) {
    const r = await client.call('listServers', { query: { limit: 50, cursor: deep } });
    if (!r.ok || !r.body.nextCursor) break;
    deep = r.body.nextCursor;
  }
  let start = performance.now();
  const one = async (i: number) => {
    const kind: TKind = i % 3 === 0 ? 'list (first page)' : i % 3 === 1 ? 'list (deep cursor)' : 'get';
    const s = performance.now();
    const r = kind === 'get'
      ? await client.call('getServer', { params: { id: ids[Math.floor(Math.random() * ids.length)]! } })
      : await client.call('listServers', { query: { limit: 50, ...(kind === 'list (deep cursor)' ? { cursor: deep } : {}) } });
    if (r.status !== 200) errors += 1;
    lat[kind].push(performance.now() - s);
    if (performance.now() - s > 50) slow.push(Math.floor((s - start) / 1000));
  };
  // The first WARM_S seconds run at the same rate but are not counted: Next compiles each route handler
  // on its first request and V8 optimises the hot paths, which is start-up cost, not steady-state latency.
  const WARM_S = 3;
  const warmStart = performance.now();
  const warm: Promise<void>[] = [];
  for (let i = 0; i < RATE * WARM_S; i++) {
    const wait = warmStart + (i * 1000) / RATE - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    warm.push(one(i));
  }
  await Promise.all(warm);
  for (const v of Object.values(lat)) v.length = 0;
  slow.length = 0;
  errors = 0;
  // Several rounds: on a shared 2-core machine one round's tail can be one stray pause; the median round is
  // the figure, every round is printed.
  const total = RATE * SECONDS;
  const p99s: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const v of Object.values(lat)) v.length = 0;
    slow.length = 0;
    errors = 0;
    start = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push(one(i));
    }
    await Promise.all(inflight);
    const elapsed = (performance.now() - start) / 1000;
    const all = Object.values(lat).flat();
    p99s.push(quantile(all, 0.99));
    console.log(`\nround ${round}: ${total} requests at a target ${RATE} req/s over ${SECONDS} s, ${N} servers in the tenant, as the customer's API key:`);
    console.log('| endpoint | requests | p50 ms | p99 ms | max ms |');
    console.log('|---|---|---|---|---|');
    for (const [k, v] of [...Object.entries(lat), ['all', all] as const]) {
      console.log(`| ${k} | ${v.length} | ${quantile(v, 0.5).toFixed(1)} | ${quantile(v, 0.99).toFixed(1)} | ${Math.max(...v).toFixed(1)} |`);
    }
    const bySecond = new Map<number, number>();
    for (const sec of slow) bySecond.set(sec, (bySecond.get(sec) ?? 0) + 1);
    console.log(`answers over 50 ms by second: ${JSON.stringify(Object.fromEntries(bySecond))}; ${(total / elapsed).toFixed(1)} req/s achieved, ${errors} non-200 answers`);
  }
  const median = [...p99s].sort((a, b) => a - b)[Math.floor(p99s.length / 2)]!;
  console.log(`\np99 per round: ${p99s.map((p) => p.toFixed(1)).join(', ')} ms; median ${median.toFixed(1)} ms; target p99 <= 50 ms: ${median <= 50 ? 'met' : 'NOT met'}`);
} finally {
  await stack.stop();
}
