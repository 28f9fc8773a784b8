// npm run bench:migrate [-- runs] — downtime and total time of moving a running VPS with 200 MB written
// between two hosts of the test rig (two network namespaces, own agents, one shared L2), through the public
// API and the real worker and agents. Downtime = the longest gap between answers of a client knocking on
// the VPS's SSH port every 50 ms (last answer before the stop to first answer after the start on the
// target); total = POST /servers/{id}/migrate to the operation's success. The VPS goes back and forth.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiClient, pollUntil } from '../e2e/support/api.ts';
import { startKnocking } from '../e2e/support/knock.ts';
import { createRig } from '../e2e/support/rig.ts';
import { registerRigHosts } from '../e2e/support/rig-stack.ts';
import { ssh } from '../e2e/support/ssh.ts';
import { startStack } from '../e2e/support/stack.ts';
import { quantile } from './ssh-probe.ts';

const RUNS = Number(process.argv[2] ?? 3);
const dir = mkdtempSync(path.join(tmpdir(), 'berth-bench-'));
const keyFile = path.join(dir, 'id');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);

const rig = await createRig({ hosts: ['a', 'b'] });
const stack = await startStack({ withAgent: false, env: { AGENT_HEARTBEAT_MS: '2000' } });
try {
  const api = apiClient(stack.baseUrl, stack.adminKey);
  const pools = await registerRigHosts({ stack, rig });
  await Promise.all(rig.hosts.map((h) => h.startAgent(stack.env)));
  const [a, b] = rig.hosts as [(typeof rig.hosts)[0], (typeof rig.hosts)[0]];
  // One L2: host b serves host a's pool too, so the VPS keeps its address on either.
  await api.post(`/ip-pools/${pools.a!.id}/hosts`, { hostId: b.id });
  for (const h of [a, b]) await pollUntil(`host ${h.name} online`, async () => (await api.get(`/hosts/${h.id}`)).body.status, (s) => s === 'online', 60_000);

  const plan = (await api.get('/plans')).body.data.find((p: { name: string }) => p.name === 'nano');
  const template = (await api.get('/templates')).body.data[0];
  const created = await api.post('/servers', {
    hostname: 'bench-mover', planId: plan.id, templateId: template.id, hostId: a.id,
    sshKeys: [readFileSync(`${keyFile}.pub`, 'utf8').trim()],
  });
  if (created.status !== 202) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const { id, ipv4 } = created.body.server;
  await pollUntil('the VPS running', async () => (await api.get(`/servers/${id}`)).body.status, (s) => s === 'running', 300_000);
  const w = ssh(keyFile, ipv4, 'head -c 200M /dev/urandom > /root/data.bin && sync && sha256sum /root/data.bin > /root/data.sum', 30);
  if (w.status !== 0) throw new Error(`writing 200 MB: ${w.stderr}`);

  const rows: { run: number; from: string; to: string; downtimeS: number; totalS: number; step: string }[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const [from, to] = run % 2 ? [a, b] : [b, a];
    const stopKnocking = startKnocking(ipv4);
    await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    const r = await api.post(`/servers/${id}/migrate`, { hostId: to.id });
    if (r.status !== 202) throw new Error(`migrate: ${r.status} ${JSON.stringify(r.body)}`);
    let op = r.body.operation;
    while (op.status !== 'succeeded' && op.status !== 'failed') op = (await api.get(`/operations/${op.id}?wait=60`)).body;
    const totalS = (performance.now() - t0) / 1000;
    await new Promise((res) => setTimeout(res, 1500));
    const knock = await stopKnocking();
    if (op.status !== 'succeeded') throw new Error(`migration failed: ${op.error}`);
    const check = ssh(keyFile, ipv4, 'sha256sum -c /root/data.sum');
    if (!check.stdout.includes('OK')) throw new Error(`data check after the move: ${check.stdout} ${check.stderr}`);
    rows.push({ run, from: from.name, to: to.name, downtimeS: knock.longestGapMs / 1000, totalS, step: op.step });
  }
  console.table(rows);
  // Where each move's offline time went, as the source agents logged it (stop, last copy, start on the target).
  for (const h of rig.hosts) {
    for (const line of readFileSync(h.agent!.logFile, 'utf8').split('\n').filter((l) => l.includes(`migrate ${id}`))) console.log(`  host ${h.name}: ${line}`);
  }
  const down = rows.map((x) => x.downtimeS).sort((p, q) => p - q);
  const total = rows.map((x) => x.totalS).sort((p, q) => p - q);
  console.log(`migrate (200 MB written, ${RUNS} runs): downtime p50 ${quantile(down, 0.5).toFixed(2)} s (max ${down.at(-1)!.toFixed(2)} s, target < 5 s); total p50 ${quantile(total, 0.5).toFixed(1)} s`);
  await api.del(`/servers/${id}`);
  await pollUntil('the VPS deleted', async () => (await api.get(`/servers/${id}`)).body.status, (s) => s === 'deleted', 120_000);
} finally {
  await rig.destroy();
  await stack.stop();
}
