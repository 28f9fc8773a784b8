// Issue 9's cross-host proof on the two-host rig, through the public API, the real worker and real agents:
// a VPS on host a is backed up (full, then incremental after a 10 MB change) to a backup target both hosts
// mount, the VPS is destroyed, its backups outlive it, and the incremental is restored to a new VPS on host b
// with its own address: the files and the SSH host keys match.
import { mkdtemp, rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiClient, pollUntil, type TApi } from './support/api.ts';
import { createRig, type TRig } from './support/rig.ts';
import { registerRigHosts } from './support/rig-stack.ts';
import { newSshKey, ssh } from './support/ssh.ts';
import { startStack, type TStack } from './support/stack.ts';

let stack: TStack;
let rig: TRig | undefined;
let api: TApi;
let shared = '';
const key = newSshKey();
const MB = 1024 * 1024;
const made: string[] = [];
const figures: Record<string, number> = {};

type TOp = { status: string; error: string | null; step: string | null };
const operation = (id: string) => pollUntil(`operation ${id}`, async () => (await api.get(`/operations/${id}`)).body as TOp, (o) => ['succeeded', 'failed'].includes(o.status), 300_000);
const server = async (id: string) => (await api.get(`/servers/${id}`)).body as { status: string; hostId: string; ipv4: string; hostname: string };

beforeAll(async () => {
  stack = await startStack({ withAgent: false, env: { AGENT_HEARTBEAT_MS: '1000', HOST_OFFLINE_AFTER_MS: '6000' } });
  api = apiClient(stack.baseUrl, stack.adminKey);
  rig = await createRig({ hosts: ['a', 'b'] });
  await registerRigHosts({ stack, rig });
  await Promise.all(rig.hosts.map((h) => h.startAgent(stack.env)));
  for (const h of rig.hosts) await pollUntil(`host ${h.name} online`, async () => (await api.get(`/hosts/${h.id}`)).body, (x: { status: string }) => x.status === 'online', 60_000);
  // One directory both hosts see at the same path: what an NFS mount shared by two real hosts is.
  shared = await mkdtemp('/var/tmp/berth-rig-backups-');
}, 300_000);

afterAll(async () => {
  for (const id of made) await api.del(`/servers/${id}`).catch(() => {});
  for (const id of made) await pollUntil(`${id} deleted`, async () => (await server(id)).status, (s) => s === 'deleted' || s === 'error', 120_000).catch((e) => console.error(e));
  await rig?.destroy();
  await stack?.stop();
  if (shared) await rm(shared, { recursive: true, force: true });
  console.log(`backup rig figures: ${JSON.stringify(figures)}`);
}, 300_000);

it('backs up a VPS on host a to a shared target, full then incremental', async () => {
  const a = rig!.host('a');
  const b = rig!.host('b');
  const target = await api.post('/backup-targets', { name: 'rig-shared', spec: { kind: 'dir', path: shared } });
  expect(target.status, JSON.stringify(target.body)).toBe(201);
  for (const h of [a, b]) expect((await api.post(`/backup-targets/${target.body.id}/hosts`, { hostId: h.id })).status).toBe(200);
  // A path that is not absolute is refused with the field named.
  const bad = await api.post('/backup-targets', { name: 'bad', spec: { kind: 'dir', path: 'relative/dir' } });
  expect(bad.status).toBe(422);

  const plan = (await api.get('/plans')).body.data.find((p: { name: string }) => p.name === 'nano');
  const template = (await api.get('/templates')).body.data[0];
  const r = await api.post('/servers', { hostname: 'precious.example.com', planId: plan.id, templateId: template.id, hostId: a.id, sshKeys: [key.publicKey] });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  made.push(r.body.server.id);
  await pollUntil('VPS on a running', () => server(r.body.server.id), (s) => s.status === 'running' || s.status === 'error', 180_000);
  const ip = (await server(r.body.server.id)).ipv4;
  const w = ssh(key.keyFile, ip, 'head -c 50M /dev/urandom > /root/data.bin && echo first > /root/note && sync', 60);
  expect(w.status, w.stderr).toBe(0);

  const full = await api.post(`/servers/${r.body.server.id}/backups`, { kind: 'full' });
  expect(full.status, JSON.stringify(full.body)).toBe(202);
  expect((await operation(full.body.operation.id)).status).toBe('succeeded');
  const fullRow = (await api.get(`/backups/${full.body.backup.id}`)).body;
  expect(fullRow).toMatchObject({ status: 'ready', kind: 'full', parentId: null });
  expect(fullRow.storedBytes).toBeGreaterThan(50 * MB * 0.95);

  const w2 = ssh(key.keyFile, ip, 'head -c 10M /dev/urandom > /root/delta.bin && echo second > /root/note && sync && sha256sum /root/data.bin /root/delta.bin /root/note /etc/ssh/ssh_host_*_key.pub', 60);
  expect(w2.status, w2.stderr).toBe(0);
  const inc = await api.post(`/servers/${r.body.server.id}/backups`, {});
  expect(inc.status, JSON.stringify(inc.body)).toBe(202);
  expect((await operation(inc.body.operation.id)).status).toBe('succeeded');
  const incRow = (await api.get(`/backups/${inc.body.backup.id}`)).body;
  expect(incRow).toMatchObject({ status: 'ready', kind: 'incremental', parentId: full.body.backup.id });
  figures.incrementalStoredMb = Math.round((incRow.storedBytes / MB) * 10) / 10;
  expect(incRow.storedBytes).toBeGreaterThan(10 * MB);
  expect(incRow.storedBytes).toBeLessThan(14 * MB);
  // The full backup cannot go while the incremental builds on it.
  expect((await api.del(`/backups/${full.body.backup.id}`)).status).toBe(409);

  // Destroy the VPS: its backups stay (until BACKUP_KEEP_DELETED_DAYS), restorable to a new server.
  const del = await api.del(`/servers/${r.body.server.id}`);
  expect((await operation(del.body.operation.id)).status).toBe('succeeded');
  const left = (await api.get(`/servers/${r.body.server.id}/backups`)).body.data as { id: string; status: string; expiresAt: string | null }[];
  expect(left.map((x) => x.id).sort()).toEqual([full.body.backup.id, inc.body.backup.id].sort());
  for (const x of left) expect(x.expiresAt).not.toBeNull();

  // Restored on host b: a new server, a new address, the same files and SSH host keys.
  const t0 = Date.now();
  const restored = await api.post(`/backups/${inc.body.backup.id}/servers`, { hostname: 'phoenix.example.com', hostId: b.id });
  expect(restored.status, JSON.stringify(restored.body)).toBe(202);
  made.push(restored.body.server.id);
  const op = await operation(restored.body.operation.id);
  figures.restoreToNewHostMs = Date.now() - t0;
  expect(op.error).toBeNull();
  const s = await server(restored.body.server.id);
  expect(s).toMatchObject({ status: 'running', hostId: b.id, hostname: 'phoenix.example.com' });
  expect(s.ipv4).not.toBe(ip);
  const check = ssh(key.keyFile, s.ipv4, 'sha256sum /root/data.bin /root/delta.bin /root/note /etc/ssh/ssh_host_*_key.pub; hostname', 60);
  expect(check.status, check.stderr).toBe(0);
  expect(check.stdout).toBe(`${w2.stdout}phoenix.example.com\n`);
});
