// npm run bench:density -- --count N — N idle VPSes on this host through the real API, then: host memory
// per idle VPS, create+start times, and how fast the API answers while they exist. Cleans up after itself.
// Addresses come from 198.18.4.0/22 (added to berth0 for the run, removed after): more than a /24 holds.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startStack } from '../e2e/support/stack.ts';
import { apiClient } from '../e2e/support/api.ts';
import { quantile } from './ssh-probe.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '50' }, parallel: { type: 'string', default: '4' } } });
const N = Number(values.count);
const P = Number(values.parallel);
if (!(N >= 1 && N <= 1000)) throw new Error('--count must be 1..1000');

const CIDR = '198.18.4.0/22';
const hostAddr = '198.18.4.1/22';
const memAvailable = () => Number(/MemAvailable:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ip = (...a: string[]) => execFileSync('ip', a, { stdio: 'pipe' });

try { ip('addr', 'add', hostAddr, 'dev', 'berth0'); } catch { /* already there from an interrupted run */ }
// The ARP table must hold a neighbour per VPS; the kernel's default gc_thresh3 (1024) is enough up to ~1000.
const stack = await startStack({
  withAgent: true, poolRange: `2-${Math.min(1021, N + 1)}`,
  // Idle VPSes: sell 200x the CPU, 30x the memory and 100x the (sparse) disk, as a dense idle-hosting plan would.
  env: { BERTH_BRIDGE_CIDR: CIDR, AGENT_CONCURRENCY: String(P), BERTH_UID_SLOTS: '1000', BERTH_CPU_OVERCOMMIT: '200', BERTH_MEMORY_OVERCOMMIT: '30', BERTH_DISK_OVERCOMMIT: '100' },
});
const api = apiClient(stack.baseUrl, stack.adminKey);
const plan = (await api.get('/plans')).body.data.find((p: { name: string }) => p.name === 'nano');
const template = (await api.get('/templates')).body.data[0];

// The API's responsiveness, sampled all along.
const latencies: number[] = [];
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const t0 = performance.now();
    await api.get('/servers?limit=50');
    latencies.push(performance.now() - t0);
    await sleep(250);
  }
})();

const ids: string[] = [];
const createTimes: number[] = [];
const memBefore = memAvailable();
const t0 = performance.now();
try {
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      const t = performance.now();
      const res = await api.post('/servers', { hostname: `density-${i}`, planId: plan.id, templateId: template.id });
      if (res.status !== 202) throw new Error(`create ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      ids.push(res.body.server.id);
      let op = res.body.operation;
      while (op.status !== 'succeeded' && op.status !== 'failed') op = (await api.get(`/operations/${op.id}?wait=60`)).body;
      if (op.status !== 'succeeded') throw new Error(`create ${i} failed: ${op.error}`);
      createTimes.push((performance.now() - t) / 1000);
    }
  };
  await Promise.all(Array.from({ length: P }, worker));
  const allUp = (performance.now() - t0) / 1000;
  await sleep(20_000); // let every systemd settle into idle
  const perVps = (memBefore - memAvailable()) / N / 2 ** 20;
  // What each VPS's memory cgroup is charged: everything (incl. its page cache) and its anonymous RSS.
  const cg = (id: string, file: string) => readFileSync(`/sys/fs/cgroup/memory/lxc.payload.${id}/${file}`, 'utf8');
  const charged = ids.map((id) => Number(cg(id, 'memory.usage_in_bytes')) / 2 ** 20);
  const rss = ids.map((id) => Number(/^total_rss (\d+)$/m.exec(cg(id, 'memory.stat'))![1]) / 2 ** 20);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const latencyIdle: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    await api.get('/servers?limit=50');
    latencyIdle.push(performance.now() - t);
  }
  const running = execFileSync('lxc-ls', ['-P', stack.env.BERTH_LXC_PATH!, '--running', '-1']).toString().split('\n').filter((n) => ids.includes(n)).length;
  console.log(`\n${N} VPSes (plan nano, Debian 12 systemd), ${P} creates at a time, on ${CIDR}:`);
  console.log(`running at the end: ${running}/${N}; all up after ${allUp.toFixed(1)} s`);
  console.log(`host memory per idle VPS: MemAvailable drop / N ${perVps.toFixed(1)} MB; cgroup charge mean ${mean(charged).toFixed(1)} MB (p95 ${quantile(charged, 0.95).toFixed(1)}), of which RSS ${mean(rss).toFixed(1)} MB`);
  console.log(`POST -> running per VPS: p50 ${quantile(createTimes, 0.5).toFixed(2)} s, p95 ${quantile(createTimes, 0.95).toFixed(2)} s`);
  console.log(`GET /servers?limit=50 while creating: p50 ${quantile(latencies, 0.5).toFixed(0)} ms, p95 ${quantile(latencies, 0.95).toFixed(0)} ms`);
  console.log(`GET /servers?limit=50 with all ${N} idle: p50 ${quantile(latencyIdle, 0.5).toFixed(0)} ms, p95 ${quantile(latencyIdle, 0.95).toFixed(0)} ms`);
} finally {
  sampling = false;
  await sampler.catch(() => {});
  // Destroy through the API, P at a time, then stop the stack (which also sweeps anything left).
  const queue = [...ids];
  await Promise.all(Array.from({ length: P }, async () => {
    for (let id = queue.pop(); id; id = queue.pop()) {
      const res = await api.del(`/servers/${id}`);
      let op = res.body?.operation;
      while (op && op.status !== 'succeeded' && op.status !== 'failed') op = (await api.get(`/operations/${op.id}?wait=60`)).body;
    }
  }));
  await stack.stop();
  try { ip('addr', 'del', hostAddr, 'dev', 'berth0'); } catch { /* gone */ }
}
