// Issue 7's proof on the two-host rig, through the public API and the real worker: both hosts are added
// over SSH (the panel installs each agent), VPSes land on both, a running VPS with 200 MB written moves to
// the other host while a client keeps knocking on its SSH port (same files, address and SSH host key
// after), a host is evacuated, and a host whose agent is killed goes offline and comes back when the
// install is run again.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '@berth/config';
import { deleteHostRedisUser } from '@berth/core';
import { apiClient, pollUntil, type TApi } from './support/api.ts';
import { startKnocking } from './support/knock.ts';
import { createRig, SWITCH_CIDR, SWITCH_GATEWAY, type TRig, type TRigHost } from './support/rig.ts';
import { newSshKey, ssh } from './support/ssh.ts';
import { startStack, type TStack } from './support/stack.ts';

const execFileP = promisify(execFile);
let stack: TStack;
let rig: TRig | undefined;
let api: TApi;
const key = newSshKey();
const hostIds: Record<string, string> = {};
const vps: Record<string, { id: string; ipv4: string }> = {};
const figures: Record<string, number | string> = {};

const installDir = (h: TRigHost) => path.join(h.dir, 'opt/berth-agent');
const host = async (name: string) => (await api.get(`/hosts/${hostIds[name]}`)).body as {
  status: string; cpuCores: number; memoryMb: number; diskGb: number; lastHeartbeatAt: string | null;
  usage: { cpuCores: number; memoryMb: number; memoryUsedMb: number; diskGb: number; diskUsedGb: number } | null;
};
const server = async (name: string) => (await api.get(`/servers/${vps[name]!.id}`)).body as { status: string; hostId: string; hostStatus: string; ipv4: string };
const operation = (id: string, timeoutMs = 300_000) =>
  pollUntil(`operation ${id}`, async () => (await api.get(`/operations/${id}`)).body, (o: { status: string; step: string | null; error: string | null }) => ['succeeded', 'failed'].includes(o.status), timeoutMs);
const followInstall = async (hostId: string, installId: string) => {
  const done = await pollUntil(`install ${installId}`, async () => (await api.get(`/hosts/${hostId}/installs/${installId}`)).body,
    (i: { status: string; error: string | null }) => ['succeeded', 'failed'].includes(i.status), 600_000);
  expect(done.error).toBeNull();
  expect(done.status).toBe('succeeded');
  return done;
};

beforeAll(async () => {
  rig = await createRig({ hosts: ['a', 'b'] });
  // Agents reach Redis through the rig's forwarder; heartbeats every second, offline after 6 s of silence.
  stack = await startStack({
    withAgent: false,
    env: { AGENT_REDIS_ADDRESS: new URL(rig.redisUrl).host, AGENT_HEARTBEAT_MS: '1000', HOST_OFFLINE_AFTER_MS: '6000' },
  });
  api = apiClient(stack.baseUrl, stack.adminKey);
}, 300_000);

afterAll(async () => {
  for (const v of Object.values(vps)) await api.del(`/servers/${v.id}`).catch(() => {});
  for (const v of Object.values(vps)) {
    await pollUntil(`${v.id} deleted`, async () => (await api.get(`/servers/${v.id}`)).body.status, (s) => s === 'deleted' || s === 'error', 120_000).catch((e) => console.error(e));
  }
  const redis = new Redis(stack.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
  for (const id of Object.values(hostIds)) await deleteHostRedisUser({ redis, prefix: stack.env.BERTH_QUEUE_PREFIX!, hostId: id }).catch(() => {});
  await redis.quit();
  await rig?.destroy();
  await stack?.stop();
  console.log(`many hosts figures: ${JSON.stringify(figures)}`);
}, 300_000);

/**
 * Host b is added with the admin CLI (it queues the same install and follows it; the worker runs it). Run
 * asynchronously: a blocked event loop would keep the API client's idle sockets past the panel's keep-alive.
 */
const addWithCli = async (h: TRigHost) => {
  const r = await execFileP(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['scripts/cli/main.ts', 'hosts', 'add', '--name', `rig-${rig!.id}-${h.name}`,
    '--address', h.mgmtIp, '--ssh-key', rig!.sshKeyFile, '--install-dir', installDir(h), '--data-dir', h.dataDir, '--lxc-path', h.lxcPath,
    '--uid-first-slot', String(13_000 + h.index * 50), '--uid-slots', '50'],
  { cwd: REPO_ROOT, encoding: 'utf8', timeout: 600_000, env: { ...process.env, DATABASE_URL: stack.env.DATABASE_URL, SESSION_SECRET: stack.env.SESSION_SECRET } });
  expect(r.stderr).toContain('waiting for the first heartbeat');
  return r.stdout.trim();
};

it('adds both hosts over SSH (API and CLI): the panel installs, configures and starts each agent, which then heartbeats', async () => {
  const privateKey = readFileSync(rig!.sshKeyFile, 'utf8');
  for (const h of rig!.hosts) {
    const t0 = Date.now();
    if (h.name === 'a') {
      const r = await api.post('/hosts', {
        name: `rig-${rig!.id}-${h.name}`, address: h.mgmtIp, privateKey,
        installDir: installDir(h), dataDir: h.dataDir, lxcPath: h.lxcPath,
        // Both "hosts" share one kernel here: give each its own uid slots, clear of the dev panel's and other tests'.
        uidFirstSlot: 13_000 + h.index * 50, uidSlots: 50,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      expect(r.body.host.status).toBe('maintenance');
      hostIds[h.name] = r.body.host.id;
      await followInstall(r.body.host.id, r.body.install.id);
    } else {
      hostIds[h.name] = await addWithCli(h);
    }
    figures[`install${h.name.toUpperCase()}Ms`] = Date.now() - t0;
    const now = await host(h.name);
    expect(now.status).toBe('online');
    expect(now.cpuCores).toBeGreaterThan(0);
    expect(now.memoryMb).toBeGreaterThan(0);
    // Heartbeats carry the host's hardware and use (measured by the agent on the host).
    expect(now.usage).toMatchObject({ cpuCores: now.cpuCores, memoryMb: expect.any(Number), diskGb: now.diskGb });
    expect(now.usage!.memoryUsedMb).toBeGreaterThan(0);
    // The agent runs from the installed release, as the supervisor started it (no systemd here).
    const ps = await h.ssh(`cat ${installDir(h)}/agent.env; readlink ${installDir(h)}/current; pgrep -af 'agent/src/main.ts'`);
    expect(ps.stdout).toContain(`BERTH_HOST_ID='${hostIds[h.name]}'`);
    expect(ps.stdout).toMatch(/REDIS_URL='redis:\/\/[^:]+%3Ahost-host_/); // its own ACL user, not the admin's
    expect(ps.stdout).toMatch(/^releases\//m);
    expect(ps.stdout).toContain('node_modules/tsx/dist/cli.mjs agent/src/main.ts');
  }
  // A second host with the same name is refused, with the field named.
  const dup = await api.post('/hosts', { name: `rig-${rig!.id}-a`, address: '10.250.0.9', password: 'x' });
  expect(dup.status).toBe(409);
});

it('puts VPSes on both hosts of one shared pool', async () => {
  const pool = await api.post('/ip-pools', { hostId: hostIds.a, cidr: SWITCH_CIDR, range: '10-99', gateway: SWITCH_GATEWAY });
  expect(pool.status, JSON.stringify(pool.body)).toBe(201);
  const shared = await api.post(`/ip-pools/${pool.body.id}/hosts`, { hostId: hostIds.b });
  expect(shared.body.hostIds.sort()).toEqual([hostIds.a, hostIds.b].sort());
  const plan = (await api.get('/plans')).body.data.find((p: { name: string }) => p.name === 'nano');
  const template = (await api.get('/templates')).body.data[0];
  for (const name of ['a', 'b']) {
    const r = await api.post('/servers', { hostname: `mover-${name}.example.com`, planId: plan.id, templateId: template.id, sshKeys: [key.publicKey], hostId: hostIds[name] });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    vps[name] = { id: r.body.server.id, ipv4: r.body.server.ipv4 };
  }
  for (const name of ['a', 'b']) {
    await pollUntil(`vps on ${name} running`, () => server(name), (s) => s.status === 'running' || s.status === 'error', 300_000);
    expect((await server(name)).hostId).toBe(hostIds[name]);
    expect(ssh(key.keyFile, vps[name]!.ipv4, 'hostname').stdout.trim()).toBe(`mover-${name}.example.com`);
  }
});

it('migrates a running VPS with 200 MB of data to the other host: same files, address and host key', async () => {
  const ip = vps.a!.ipv4;
  const write = ssh(key.keyFile, ip, 'head -c 200M /dev/urandom > /root/data.bin && sync && sha256sum /root/data.bin > /root/data.sum && cat /root/data.sum', 30);
  expect(write.status, write.stderr).toBe(0);
  const hostKey = ssh(key.keyFile, ip, 'cat /etc/ssh/ssh_host_ed25519_key.pub').stdout;
  // A client keeps knocking on the VPS's SSH port: the longest gap between answers is the downtime.
  const stopKnocking = startKnocking(ip);
  const t0 = Date.now();
  const r = await api.post(`/servers/${vps.a!.id}/migrate`, { hostId: hostIds.b }, { 'Idempotency-Key': `migrate-${vps.a!.id}` });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  const op = await operation(r.body.operation.id);
  figures.migrateTotalMs = Date.now() - t0;
  await new Promise((res) => setTimeout(res, 1000));
  const knock = await stopKnocking();
  figures.migrateDowntimeMs = knock.longestGapMs;
  figures.migrateStep = op.step ?? '';
  expect(op.error).toBeNull();
  expect(op.status).toBe('succeeded');
  const after = await server('a');
  expect(after).toMatchObject({ status: 'running', hostId: hostIds.b, ipv4: ip });
  expect(ssh(key.keyFile, ip, 'sha256sum -c /root/data.sum').stdout.trim()).toBe('/root/data.bin: OK');
  expect(ssh(key.keyFile, ip, 'cat /etc/ssh/ssh_host_ed25519_key.pub').stdout).toBe(hostKey);
  // Nothing of it is left on host a; host b runs it.
  expect((await rig!.host('a').exec('lxc-ls', ['-P', rig!.host('a').lxcPath])).stdout).not.toContain(vps.a!.id);
  expect((await rig!.host('b').exec('lxc-info', ['-P', rig!.host('b').lxcPath, '-n', vps.a!.id, '-sH'])).stdout.trim()).toBe('RUNNING');
  expect(knock.longestGapMs).toBeGreaterThan(0); // it was really stopped and started (not a no-op)
});

it('evacuates a host: every VPS on it moves to the other, which had room', async () => {
  const r = await api.post(`/hosts/${hostIds.b}/evacuate`);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  expect(r.body.unplaced).toEqual([]);
  expect(r.body.operations.map((o: { serverId: string }) => o.serverId).sort()).toEqual([vps.a!.id, vps.b!.id].sort());
  expect((await host('b')).status).toBe('maintenance');
  for (const o of r.body.operations as { id: string }[]) expect((await operation(o.id)).status).toBe('succeeded');
  for (const name of ['a', 'b']) {
    expect(await server(name)).toMatchObject({ status: 'running', hostId: hostIds.a });
    expect(ssh(key.keyFile, vps[name]!.ipv4, 'hostname').stdout.trim()).toBe(`mover-${name}.example.com`);
  }
});

it('shows a host whose agent died as offline (its VPSes unknown, still running), and brings it back by installing again', async () => {
  const a = rig!.host('a');
  const killed = await a.ssh(`kill -KILL -- -$(cat ${installDir(a)}/supervise.pid)`);
  expect(killed.code, killed.stderr).toBe(0);
  await pollUntil('host a offline', () => host('a'), (h) => h.status === 'offline', 30_000);
  expect((await server('a')).hostStatus).toBe('offline');
  expect(ssh(key.keyFile, vps.a!.ipv4, 'hostname').stdout.trim()).toBe('mover-a.example.com'); // the VPS itself runs on
  const privateKey = readFileSync(rig!.sshKeyFile, 'utf8');
  const again = await api.post(`/hosts/${hostIds.a}/install`, { privateKey });
  expect(again.status, JSON.stringify(again.body)).toBe(202);
  await followInstall(hostIds.a!, again.body.install.id);
  await pollUntil('host a online', () => host('a'), (h) => h.status === 'online', 30_000);
  expect((await server('a')).hostStatus).toBe('online');
});
