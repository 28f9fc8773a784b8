// The spine, proved through the public API only: key from the CLI -> create -> SSH into systemd -> stop/start
// -> delete -> nothing of the server left on the host. Real Postgres, Redis, worker, agent and LXC.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TStack } from './support/stack.ts';
import { apiClient, pollUntil, type TApi } from './support/api.ts';
import { newSshKey, ssh as sshWith } from './support/ssh.ts';

let stack: TStack;
let api: TApi;
let key: { keyFile: string; publicKey: string };

beforeAll(async () => {
  // Samples every second, so the graphs test below needs no long wait.
  stack = await startStack({ withAgent: true, env: { AGENT_METRICS_MS: '1000' } });
  api = apiClient(stack.baseUrl, stack.adminKey);
  key = newSshKey();
});
afterAll(async () => stack?.stop());

const ssh = (ip: string, command: string) => sshWith(key.keyFile, ip, command);

// Long poll: the API holds the answer until the operation finishes (NOTIFY), no client-side polling.
const waitOperation = (id: string) =>
  pollUntil(`operation ${id}`, async () => (await api.get(`/operations/${id}?wait=60`)).body, (op) => op.status === 'succeeded' || op.status === 'failed');

/** Every trace a server could leave on the host, by its id, IP and MAC. */
const hostTraces = (serverId: string, ip: string, mac: string) => {
  const lxcPath = stack.env.BERTH_LXC_PATH!;
  const dataDir = stack.env.BERTH_DATA_DIR!;
  const found: string[] = [];
  const lxcLs = spawnSync('lxc-ls', ['-P', lxcPath, '-1'], { encoding: 'utf8' }).stdout ?? '';
  if (lxcLs.split('\n').includes(serverId)) found.push('lxc container');
  const files = spawnSync('find', [dataDir, path.join(dataDir, 'pool'), '-maxdepth', '2', '-name', `*${serverId}*`], { encoding: 'utf8' }).stdout.trim();
  if (files) found.push(`files: ${files}`);
  if (readFileSync('/proc/mounts', 'utf8').includes(serverId)) found.push('mount');
  if ((spawnSync('losetup', ['-a'], { encoding: 'utf8' }).stdout ?? '').includes(serverId)) found.push('loop device');
  const nft = spawnSync('nft', ['list', 'ruleset'], { encoding: 'utf8' }).stdout ?? '';
  if (nft.includes(`${ip} `) || nft.includes(`${ip},`) || nft.includes(`${ip}\n`) || nft.includes(mac)) found.push('nft entries');
  const veths = readdirSync('/sys/class/net').filter((n) => n.includes(serverId.slice(-12)));
  if (veths.length) found.push(`interfaces: ${veths.join(',')}`);
  return found;
};

describe('a VPS from the public API', () => {
  let serverId = '';
  let ip = '';

  it('is created and becomes running', async () => {
    const plan = (await api.get('/plans')).body.data.find((p: any) => p.name === 'nano');
    const template = (await api.get('/templates')).body.data[0];
    const res = await api.post('/servers', {
      hostname: 'spine-test.example.com', planId: plan.id, templateId: template.id,
      sshKeys: [key.publicKey], rootPassword: 'correct horse battery',
    });
    expect(res.status).toBe(202);
    expect(res.body.server.status).toBe('provisioning');
    expect(res.body.operation).toMatchObject({ type: 'create', status: 'queued' });
    serverId = res.body.server.id;
    ip = res.body.server.ipv4;
    expect(ip).toMatch(/^198\.18\.0\.\d+$/);
    const op = await waitOperation(res.body.operation.id);
    expect(op).toMatchObject({ status: 'succeeded', progress: 100, error: null });
    expect((await api.get(`/servers/${serverId}`)).body.status).toBe('running');
  });

  it('runs systemd as PID 1 and accepts the SSH key', () => {
    const r = ssh(ip, 'cat /proc/1/comm; systemctl is-system-running; hostname');
    expect(r.stderr).toBe('');
    const [comm, state, hostname] = r.stdout.trim().split('\n');
    expect(comm).toBe('systemd');
    expect(['running', 'degraded']).toContain(state);
    expect(hostname).toBe('spine-test.example.com');
  });

  it('graphs what it does: CPU, memory, disk and network from the agent\'s samples', async () => {
    // Two seconds of a busy loop, then some traffic; the agent samples each second.
    expect(ssh(ip, "timeout 3 sh -c 'while :; do :; done'; head -c 2000000 /dev/zero | base64 > /root/blob; sync").status).not.toBe(255);
    const points = await pollUntil('cpu in the graph', async () => (await api.get(`/servers/${serverId}/metrics?range=hour`)).body.points as { cpuCores: number; memoryBytes: number; diskUsedBytes: number; netRxBps: number }[],
      (ps) => ps.reduce((sum, p) => sum + p.cpuCores * 60, 0) > 1.2, 30_000); // CPU seconds in the hour (1-minute steps)
    const last = points.at(-1)!;
    expect(last.memoryBytes).toBeGreaterThan(10 * 2 ** 20); // systemd and sshd at least
    expect(last.diskUsedBytes).toBeGreaterThan(100 * 2 ** 20); // the Debian system
    expect(points.some((p) => p.netRxBps > 0)).toBe(true); // our ssh sessions
  });

  it('stops and starts again', async () => {
    const stop = await api.post(`/servers/${serverId}/actions`, { type: 'stop' });
    expect(stop.status).toBe(202);
    expect((await waitOperation(stop.body.operation.id)).status).toBe('succeeded');
    expect((await api.get(`/servers/${serverId}`)).body.status).toBe('stopped');
    expect(ssh(ip, 'true').status).not.toBe(0);

    const again = await api.post(`/servers/${serverId}/actions`, { type: 'stop' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invalid_state');

    const start = await api.post(`/servers/${serverId}/actions`, { type: 'start' });
    expect((await waitOperation(start.body.operation.id)).status).toBe('succeeded');
    expect((await api.get(`/servers/${serverId}`)).body.status).toBe('running');
    expect(ssh(ip, 'cat /proc/1/comm').stdout.trim()).toBe('systemd');
  });

  it('moves to a bigger plan live, without a reboot', async () => {
    const small = (await api.get('/plans')).body.data.find((p: any) => p.name === 'small');
    const bootTime = ssh(ip, 'cut -d" " -f22 /proc/1/stat').stdout.trim();
    const res = await api.post(`/servers/${serverId}/resize`, { planId: small.id });
    expect(res.status).toBe(202);
    expect(res.body.operation.type).toBe('resize');
    expect((await waitOperation(res.body.operation.id)).status).toBe('succeeded');
    expect((await api.get(`/servers/${serverId}`)).body).toMatchObject({ planId: small.id, status: 'running' });
    expect(ssh(ip, "awk '/MemTotal/ {print $2}' /proc/meminfo").stdout.trim()).toBe(String(small.memoryMb * 1024));
    expect(ssh(ip, 'cut -d" " -f22 /proc/1/stat').stdout.trim()).toBe(bootTime);
  });

  it('is reinstalled: a fresh disk, new host keys, the new SSH key, same IP and plan', async () => {
    const newKey = newSshKey();
    expect(ssh(ip, 'touch /root/customer-data && cat /etc/ssh/ssh_host_ed25519_key.pub').status).toBe(0);
    const oldHostKey = ssh(ip, 'cat /etc/ssh/ssh_host_ed25519_key.pub').stdout;
    const before = (await api.get(`/servers/${serverId}`)).body;
    const res = await api.post(`/servers/${serverId}/reinstall`, { sshKeys: [newKey.publicKey] });
    expect(res.status).toBe(202);
    expect((await waitOperation(res.body.operation.id)).status).toBe('succeeded');
    expect((await api.get(`/servers/${serverId}`)).body).toMatchObject({ status: 'running', ipv4: ip, planId: before.planId });
    expect(ssh(ip, 'true').status).not.toBe(0); // the old key is gone
    key = newKey;
    expect(ssh(ip, 'test -e /root/customer-data && echo kept || echo wiped').stdout.trim()).toBe('wiped');
    expect(ssh(ip, 'cat /etc/ssh/ssh_host_ed25519_key.pub').stdout).not.toBe(oldHostKey);
    expect(ssh(ip, 'cat /proc/1/comm').stdout.trim()).toBe('systemd');
  });

  it('is deleted and leaves nothing behind on the host', async () => {
    const config = readFileSync(path.join(stack.env.BERTH_LXC_PATH!, serverId, 'config'), 'utf8');
    const mac = /lxc\.net\.0\.hwaddr\s*=\s*(\S+)/.exec(config)?.[1] ?? 'no-mac-found';
    expect(mac).toMatch(/^[0-9a-f][26ae](:[0-9a-f]{2}){5}$/); // locally administered unicast
    const del = await api.del(`/servers/${serverId}`);
    expect(del.status).toBe(202);
    expect((await api.get(`/servers/${serverId}`)).body.status).toBe('deleting');
    expect((await waitOperation(del.body.operation.id)).status).toBe('succeeded');
    expect((await api.get(`/servers/${serverId}`)).body.status).toBe('deleted');
    expect((await api.get('/servers')).body.data.map((s: any) => s.id)).not.toContain(serverId);
    expect(hostTraces(serverId, ip, mac)).toEqual([]);
  });
});
