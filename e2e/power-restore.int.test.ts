// Postgres holds the power state: after a host "reboot" (the agent down, the VPS stopped, its mounts and
// filter entries gone), the restarted agent reports its inventory and the VPS comes back running, with
// its filter and limits re-applied by a normal start.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forgetPort, portElements } from '../agent/src/network/firewall.ts';
import { vethName } from '../agent/src/network/names.ts';
import { startStack, type TStack } from './support/stack.ts';
import { apiClient, pollUntil, type TApi } from './support/api.ts';
import { newSshKey, ssh as sshWith } from './support/ssh.ts';

let stack: TStack;
let api: TApi;
let key: { keyFile: string; publicKey: string };

beforeAll(async () => {
  stack = await startStack({ withAgent: true });
  api = apiClient(stack.baseUrl, stack.adminKey);
  key = newSshKey();
});
afterAll(async () => stack?.stop());

const ssh = (ip: string, cmd: string) => sshWith(key.keyFile, ip, cmd, 3);

it('brings a running VPS back after a host reboot, and leaves a stopped one stopped', async () => {
  const plan = (await api.get('/plans')).body.data.find((p: { name: string }) => p.name === 'nano');
  const template = (await api.get('/templates')).body.data[0];
  const make = async (hostname: string) => {
    const res = await api.post('/servers', { hostname, planId: plan.id, templateId: template.id, sshKeys: [key.publicKey] });
    expect(res.status).toBe(202);
    const op = await pollUntil('create', async () => (await api.get(`/operations/${res.body.operation.id}?wait=60`)).body, (o) => o.status !== 'queued' && o.status !== 'running');
    expect(op.status).toBe('succeeded');
    return res.body.server as { id: string; ipv4: string };
  };
  const up = await make('keeps-running.example.com');
  const down = await make('stays-stopped.example.com');
  const stop = await api.post(`/servers/${down.id}/actions`, { type: 'stop' });
  expect((await api.get(`/operations/${stop.body.operation.id}?wait=60`)).body.status).toBe('succeeded');

  const lxc = ['-P', stack.env.BERTH_LXC_PATH!];
  await stack.restartAgent(async () => {
    // What a host reboot does to a VPS: stopped, disk unmounted, nft set elements gone.
    execFileSync('lxc-stop', [...lxc, '-n', up.id, '-k']);
    for (const dir of ['rootfs', 'mnt']) execFileSync('umount', [path.join(stack.env.BERTH_DATA_DIR!, dir, up.id)]);
    await forgetPort(vethName(up.id));
    expect(ssh(up.ipv4, 'true').status).not.toBe(0);
  });

  await pollUntil('the VPS running again', async () => ssh(up.ipv4, 'cat /proc/1/comm').stdout.trim(), (comm) => comm === 'systemd', 120_000);
  expect((await api.get(`/servers/${up.id}`)).body.status).toBe('running');
  expect(await portElements(vethName(up.id))).toEqual({ macs: [expect.any(String)], ips: [up.ipv4] });
  expect(spawnSync('lxc-cgroup', [...lxc, '-n', up.id, 'cpu.cfs_quota_us'], { encoding: 'utf8' }).stdout.trim()).toBe(String(plan.cpuCores * 100_000));
  // The server the customer stopped was not started behind their back.
  expect((await api.get(`/servers/${down.id}`)).body.status).toBe('stopped');
  expect(spawnSync('lxc-info', [...lxc, '-n', down.id, '-sH'], { encoding: 'utf8' }).stdout.trim()).toBe('STOPPED');
});
