// The two-host test rig with the real agent and real LXC: two simulated hosts (network + mount namespaces,
// own sshd, data dir and lxcpath) serve one private stack; a VPS pinned to each answers SSH over the shared
// switch, cannot reach the management network, and survives its host's agent being SIGKILLed.
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiClient, pollUntil, type TApi } from './support/api.ts';
import { createRig, MGMT_GATEWAY, SWITCH_GATEWAY, type TRig, type TRigHost } from './support/rig.ts';
import { registerRigHosts } from './support/rig-stack.ts';
import { newSshKey, ssh } from './support/ssh.ts';
import { startStack, type TStack } from './support/stack.ts';

let stack: TStack;
let rig: TRig | undefined;
let api: TApi;
const key = newSshKey();
const servers: Record<string, { id: string; ipv4: string; hostname: string; op: string }> = {};
const timings: Record<string, number> = {};
const ms = (t0: number) => Math.round(performance.now() - t0);

beforeAll(async () => {
  // Heartbeats every second, offline after 6 s of silence (production: 10 s and 30 s).
  stack = await startStack({ withAgent: false, env: { AGENT_HEARTBEAT_MS: '1000', HOST_OFFLINE_AFTER_MS: '6000' } });
  api = apiClient(stack.baseUrl, stack.adminKey);
  const t0 = performance.now();
  rig = await createRig({ hosts: ['a', 'b'] });
  timings.rigCreateMs = ms(t0);
  await registerRigHosts({ stack, rig });
  const t1 = performance.now();
  await Promise.all(rig.hosts.map((h) => h.startAgent(stack.env)));
  timings.agentsStartMs = ms(t1);
}, 300_000);

afterAll(async () => {
  await rig?.destroy();
  await stack?.stop();
  console.log(`rig timings: ${JSON.stringify(timings)}`);
});

const hostStatus = async (h: TRigHost) => (await api.get(`/hosts/${h.id}`)).body as { status: string; lastHeartbeatAt: string | null };
const offset = (ipv4: string) => Number(ipv4.split('.')[3]);
const agentLog = (h: TRigHost) => (h.agent ? readFileSync(h.agent.logFile, 'utf8').slice(-3000) : '(no agent)');

it('brings both rig hosts online through their own agents; their sshd lands inside the host', async () => {
  for (const h of rig!.hosts) {
    await pollUntil(`host ${h.name} online`, () => hostStatus(h), (s) => s.status === 'online' && !!s.lastHeartbeatAt, 30_000);
    const r = await h.ssh(`ip -4 -o addr show dev eth0; ls /sys/class/net; lxc-ls -P ${h.lxcPath}; echo lxc-ls=$?`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`inet ${h.mgmtIp}/24`);
    // The host's own sysfs: its uplink, not the root namespace's links.
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['berth0', 'up0']));
    expect(r.stdout).not.toContain('rigsw');
    expect(r.stdout).toContain('lxc-ls=0');
  }
});

it('runs a VPS pinned to each host, reachable by SSH from the root namespace over the switch', async () => {
  const plan = (await api.get('/plans')).body.data.find((p: { name: string }) => p.name === 'nano');
  const template = (await api.get('/templates')).body.data[0];
  for (const h of rig!.hosts) {
    const hostname = `rig-${h.name}.example.com`;
    const made = await api.post('/servers', { hostname, planId: plan.id, templateId: template.id, hostId: h.id, sshKeys: [key.publicKey] });
    expect(made.status, JSON.stringify(made.body)).toBe(202);
    servers[h.name] = { id: made.body.server.id, ipv4: '', hostname, op: made.body.operation.id };
  }
  const t0 = performance.now();
  for (const h of rig!.hosts) {
    const s = await pollUntil(`VPS on ${h.name} running`, async () => (await api.get(`/servers/${servers[h.name]!.id}`)).body,
      (v) => v.status === 'running' || v.status === 'error', 180_000);
    if (s.status !== 'running') throw new Error(`VPS on ${h.name}: ${JSON.stringify((await api.get(`/operations/${servers[h.name]!.op}`)).body)}\n${agentLog(h)}`);
    expect(s).toMatchObject({ status: 'running', hostId: h.id, hostStatus: 'online' });
    const [first, last] = rig!.poolRange(h).split('-').map(Number);
    expect(offset(s.ipv4)).toBeGreaterThanOrEqual(first!);
    expect(offset(s.ipv4)).toBeLessThanOrEqual(last!);
    servers[h.name]!.ipv4 = s.ipv4;
  }
  timings.bothRunningMs = ms(t0);
  for (const h of rig!.hosts) {
    const v = servers[h.name]!;
    const r = ssh(key.keyFile, v.ipv4, 'hostname');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(v.hostname);
    // It is that host's container (its lxcpath, its namespace), seen over the host's sshd as an installer would.
    expect((await h.ssh(`lxc-info -P ${h.lxcPath} -n ${v.id} -sH`)).stdout.trim()).toBe('RUNNING');
    const other = rig!.hosts.find((x) => x !== h)!;
    expect((await other.exec('lxc-info', ['-P', other.lxcPath, '-n', v.id, '-sH'])).code).not.toBe(0);
  }
});

// One line per probe, all at once; `timeout` bounds each (a dropped SYN would otherwise wait for TCP's retries).
const PROBES = (ownIp: string, redisPort: string) => `
p() { if timeout 3 bash -c "</dev/tcp/$1/$2" 2>/dev/null; then echo "$3=open"; else echo "$3=closed"; fi; }
ping -c1 -W3 ${SWITCH_GATEWAY} >/dev/null 2>&1 && echo gw_ping=ok || echo gw_ping=fail &
ping -c1 -W3 ${MGMT_GATEWAY} >/dev/null 2>&1 && echo mgmt_ping=ok || echo mgmt_ping=fail &
p ${ownIp} 22 own_ssh &
p ${MGMT_GATEWAY} ${redisPort} mgmt_redis &
p 10.250.0.2 22 host_a_ssh &
p 10.250.0.3 22 host_b_ssh &
p ${SWITCH_GATEWAY} 22 gw_ssh &
wait
`;

it('keeps VPSes off the management network (their gateway answers pings, nothing more)', async () => {
  const redisPort = new URL(rig!.redisUrl).port;
  for (const h of rig!.hosts) {
    const v = servers[h.name]!;
    const r = ssh(key.keyFile, v.ipv4, PROBES(v.ipv4, redisPort), 10);
    expect(r.status, r.stderr).toBe(0);
    const seen = Object.fromEntries(r.stdout.trim().split('\n').map((l) => l.split('=')));
    // The first two are the controls: the probes do see an open port and a live uplink.
    expect(seen).toEqual({ gw_ping: 'ok', own_ssh: 'open', mgmt_ping: 'fail', mgmt_redis: 'closed', host_a_ssh: 'closed', host_b_ssh: 'closed', gw_ssh: 'closed' });
  }
});

// A frame from a VPS on host a to a VPS on host b enters b's bridge through the uplink, not a VPS port: b's
// agent drops IPv4/ARP from the uplink whose source is in the VPS's subnet, unless it is the gateway (this
// test was an it.fails showing the port open before that rule). Same tenant, no private network here.
it('isolates VPSes on different hosts from each other: the uplink brings no frames from the VPS subnet but the gateway\'s', async () => {
  const r = ssh(key.keyFile, servers.a!.ipv4, `timeout 3 bash -c "</dev/tcp/${servers.b!.ipv4}/22" && echo open || echo closed`);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout.trim()).toBe('closed');
});

it('marks host a offline when its agent is SIGKILLed, keeps its VPS running, and recovers on restart', async () => {
  const [a, b] = [rig!.host('a'), rig!.host('b')];
  const t0 = performance.now();
  await a.agent!.kill();
  expect(a.agent!.running()).toBe(false);
  await pollUntil('host a offline', () => hostStatus(a), (s) => s.status === 'offline', 30_000);
  timings.offlineAfterKillMs = ms(t0);
  expect((await hostStatus(b)).status).toBe('online');
  // The data plane does not need the agent: the VPS still answers.
  expect(ssh(key.keyFile, servers.a!.ipv4, 'hostname').stdout.trim()).toBe(servers.a!.hostname);
  expect((await api.get(`/servers/${servers.a!.id}`)).body).toMatchObject({ status: 'running', hostStatus: 'offline' });

  const t1 = performance.now();
  await a.agent!.restart();
  await pollUntil('host a online', () => hostStatus(a), (s) => s.status === 'online', 30_000);
  timings.onlineAfterRestartMs = ms(t1);
  expect((await api.get(`/servers/${servers.a!.id}`)).body).toMatchObject({ status: 'running', hostStatus: 'online' });
  expect(ssh(key.keyFile, servers.a!.ipv4, 'hostname').stdout.trim()).toBe(servers.a!.hostname);
});

it('deletes both VPSes from their hosts', async () => {
  for (const h of rig!.hosts) expect((await api.del(`/servers/${servers[h.name]!.id}`)).status).toBe(202);
  for (const h of rig!.hosts) {
    const id = servers[h.name]!.id;
    await pollUntil(`VPS on ${h.name} deleted`, async () => (await api.get(`/servers/${id}`)).body.status, (s) => s === 'deleted', 120_000);
    expect(await readdir(h.lxcPath)).not.toContain(id);
    expect((await h.exec('lxc-info', ['-P', h.lxcPath, '-n', id, '-sH'])).code).not.toBe(0);
  }
});

it('tears the rig down completely', async () => {
  const t0 = performance.now();
  await rig!.destroy();
  timings.rigDestroyMs = ms(t0);
  expect(await rig!.leftovers()).toEqual([]);
  // Nothing of the VPSes' cgroups either (names are global).
  const memory = await readdir('/sys/fs/cgroup/memory');
  for (const v of Object.values(servers)) expect(memory.filter((n) => n.includes(v.id))).toEqual([]);
});
