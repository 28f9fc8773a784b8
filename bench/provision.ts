// npm run bench:provision — seconds from POST /api/v1/servers to SSH-ready, 10 sequential and 10 concurrent,
// against the raw LXC floor (the agent's own driver: clone + start, no panel, no queue) in the same run.
// Both paths end with the same probe: `ssh root@ip true` with the VPS's key succeeding.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newId, type TServerSpec } from '@berth/contracts';
import { createLxcDriver } from '../agent/src/driver/lxc/lxc-driver.ts';
import { startStack } from '../e2e/support/stack.ts';
import { apiClient } from '../e2e/support/api.ts';
import { quantile, waitSsh } from './ssh-probe.ts';

const N = Number(process.argv[2] ?? 10);
const dir = mkdtempSync(path.join(tmpdir(), 'berth-bench-'));
const keyFile = path.join(dir, 'id');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
const pub = readFileSync(`${keyFile}.pub`, 'utf8').trim();

// API servers get 198.18.0.200-219 from the stack's pool; the raw floor uses .220-.239 and uid slots 14220+.
const stack = await startStack({ withAgent: true, poolRange: `200-${199 + 2 * N}`, env: { AGENT_CONCURRENCY: String(N) } });
const api = apiClient(stack.baseUrl, stack.adminKey);
const plan = (await api.get('/plans')).body.data.find((p: { name: string }) => p.name === 'nano');
const template = (await api.get('/templates')).body.data[0];
const driver = createLxcDriver({ dataDir: stack.env.BERTH_DATA_DIR!, lxcPath: stack.env.BERTH_LXC_PATH! });

const apiCreate = async (i: number): Promise<{ s: number; id: string }> => {
  const t0 = performance.now();
  const res = await api.post('/servers', { hostname: `bench-${i}`, planId: plan.id, templateId: template.id, sshKeys: [pub] });
  if (res.status !== 202) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
  const { id, ipv4 } = res.body.server;
  // Long poll (GET /operations/{id}?wait=): the answer comes the moment the operation finishes.
  let op = res.body.operation;
  while (op.status !== 'succeeded' && op.status !== 'failed') op = (await api.get(`/operations/${op.id}?wait=60`)).body;
  if (op.status !== 'succeeded') throw new Error(`server ${id}: ${op.error}`);
  await waitSsh(ipv4, keyFile);
  return { s: (performance.now() - t0) / 1000, id };
};

const rawSpec = (slot: number): TServerSpec => ({
  serverId: newId('server'), hostname: `raw-${slot}`, imageRef: template.imageRef,
  limits: { cpuCores: plan.cpuCores, cpuWeight: plan.cpuWeight, memoryMb: plan.memoryMb, swapMb: plan.swapMb, diskGb: plan.diskGb,
    ioReadBps: plan.ioReadBps, ioWriteBps: plan.ioWriteBps, ioReadIops: plan.ioReadIops, ioWriteIops: plan.ioWriteIops, pidsMax: plan.pidsMax },
  network: { bridge: 'berth0', ipv4: `198.18.0.${slot}`, prefixLength: 24, gateway: null, mac: `02:be:ee:00:00:${slot.toString(16).padStart(2, '0')}`, peers: [], rateMbit: null },
  idmap: { uidBase: 1_000_000 + 65_536 * (14_000 + slot), count: 65_536 },
  access: { sshKeys: [pub], rootPasswordHash: null },
  features: { nesting: plan.nesting },
});
const rawCreate = async (spec: TServerSpec): Promise<number> => {
  const t0 = performance.now();
  await driver.create(spec);
  await driver.start(spec);
  await waitSsh(spec.network.ipv4, keyFile);
  return (performance.now() - t0) / 1000;
};

const apiDeleteAll = async (ids: string[]) => {
  const ops = await Promise.all(ids.map(async (id) => (await api.del(`/servers/${id}`)).body.operation.id));
  for (const op of ops) while ((await api.get(`/operations/${op}?wait=60`)).body.status !== 'succeeded');
};

const results: Record<string, number[]> = {};
try {
  const rawSeq = Array.from({ length: N }, (_, i) => rawSpec(220 + i));
  results['raw sequential'] = [];
  for (const s of rawSeq) results['raw sequential'].push(await rawCreate(s));
  await Promise.all(rawSeq.map((s) => driver.destroy(s)));

  const seq: { s: number; id: string }[] = [];
  for (let i = 0; i < N; i++) seq.push(await apiCreate(i));
  results['api sequential'] = seq.map((r) => r.s);
  await apiDeleteAll(seq.map((r) => r.id));

  const rawConc = Array.from({ length: N }, (_, i) => rawSpec(220 + N + i));
  results['raw concurrent'] = await Promise.all(rawConc.map(rawCreate));
  await Promise.all(rawConc.map((s) => driver.destroy(s)));

  const conc = await Promise.all(Array.from({ length: N }, (_, i) => apiCreate(100 + i)));
  results['api concurrent'] = conc.map((r) => r.s);
  await apiDeleteAll(conc.map((r) => r.id));
} finally {
  await stack.stop();
}

const row = (name: string) => {
  const xs = results[name]!;
  return { name, p50: quantile(xs, 0.5), p95: quantile(xs, 0.95) };
};
console.log(`\nPOST -> SSH-ready, ${N} servers each (plan nano, template ${template.name}), seconds:`);
for (const mode of ['sequential', 'concurrent']) {
  const a = row(`api ${mode}`);
  const r = row(`raw ${mode}`);
  console.log(`${mode.padEnd(10)}  api p50 ${a.p50.toFixed(2)}  p95 ${a.p95.toFixed(2)}   raw LXC p50 ${r.p50.toFixed(2)}  p95 ${r.p95.toFixed(2)}   ratio p50 ${(a.p50 / r.p50).toFixed(2)}  p95 ${(a.p95 / r.p95).toFixed(2)}`);
}
