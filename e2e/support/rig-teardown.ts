// Tear a rig down completely, also one left by a killed test process: containers, the processes in its
// namespaces (found by namespace membership, never by name), cgroups, mounts, loop devices, network, dirs.
import { access, readdir, readFile, readlink, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadEnv, REPO_ROOT, ZAgentEnv } from '@berth/config';
import { exec, sleep, tryRun } from './rig-exec.ts';
import { listRigNetns, netLeftovers, removeNet } from './rig-net.ts';
import { cmdline, type TRigHostState, type TRigState } from './rig-state.ts';

export const IN_HOST = path.join(REPO_ROOT, 'scripts/rig/in-host.sh');
const CGROUP_ROOT = '/sys/fs/cgroup';
// This machine's own (dev) agent's containers: never the rig's to remove.
const DEV_LXC_PATH = loadEnv(ZAgentEnv.pick({ BERTH_LXC_PATH: true })).BERTH_LXC_PATH;

const rootMounts = async (): Promise<string[]> =>
  (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').filter(Boolean).map((l) => l.split(' ')[4]!);
const under = (dir: string) => (t: string) => t === dir || t.startsWith(`${dir}/`);
const deepestFirst = (a: string, b: string) => b.length - a.length;

/** `net:[inode]` / `mnt:[inode]` of a pinned namespace file, as /proc/PID/ns/* links read; undefined if not pinned. */
const nsLink = async (kind: 'net' | 'mnt', file: string, mounts: string[]) =>
  mounts.includes(file) ? `${kind}:[${(await stat(file)).ino}]` : undefined;

const hostNsLinks = async (h: Pick<TRigHostState, 'netns' | 'mntns'>): Promise<string[]> => {
  const mounts = await rootMounts();
  const links = [await nsLink('net', `/run/netns/${h.netns}`, mounts), await nsLink('mnt', h.mntns, mounts)];
  return links.filter((l): l is string => !!l);
};

const pidsInNamespaces = async (links: Set<string>): Promise<number[]> => {
  const pids: number[] = [];
  for (const p of await readdir('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    const mine = await Promise.all(['net', 'mnt'].map((k) => readlink(`/proc/${p}/ns/${k}`).then((l) => links.has(l), () => false)));
    if (mine.some(Boolean)) pids.push(Number(p));
  }
  return pids;
};

/** SIGKILL every process in the host's namespaces (agent, sshd and its sessions, lxc monitors) until none is left. */
export const killHostProcesses = async (h: Pick<TRigHostState, 'netns' | 'mntns'>): Promise<void> => {
  const links = new Set(await hostNsLinks(h));
  if (!links.size) return;
  for (let i = 0; i < 100; i++) {
    const pids = await pidsInNamespaces(links);
    if (!pids.length) return;
    for (const pid of pids) tryKill(pid, 'SIGKILL');
    await sleep(100);
  }
  throw new Error(`rig: processes in ${h.netns} survive SIGKILL`);
};

const tryKill = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
};

const serverIds = async (lxcPath: string) => (await readdir(lxcPath).catch(() => [] as string[])).filter((n) => /^srv_[0-9a-z]+$/.test(n));

/** Ask LXC to kill the host's containers while their monitors still run (the cgroup sweep catches the rest). */
const stopContainers = async (h: TRigHostState, ids: string[]) => {
  if ((await hostNsLinks(h)).length < 2) return;
  for (const id of ids) await tryRun(IN_HOST, [h.netns, h.mntns, 'lxc-stop', '-P', h.lxcPath, '-n', id, '-k'], { timeoutMs: 30_000 });
};

const LXC_CGROUP = /^lxc\.(payload|monitor)\.(srv_[0-9a-z]+)(-\d+)?$/;

/** Container and monitor cgroups in every hierarchy (names are global, not per host), with their server id. */
const lxcCgroups = async (): Promise<{ dir: string; id: string }[]> => {
  const found: { dir: string; id: string }[] = [];
  for (const h of await readdir(CGROUP_ROOT).catch(() => [] as string[])) {
    for (const n of await readdir(path.join(CGROUP_ROOT, h)).catch(() => [] as string[])) {
      const id = LXC_CGROUP.exec(n)?.[2];
      if (id) found.push({ dir: path.join(CGROUP_ROOT, h, n), id });
    }
  }
  return found;
};
const containerCgroups = async (ids: string[]) => (await lxcCgroups()).filter((c) => ids.includes(c.id)).map((c) => c.dir);

/**
 * A start that fails leaves its monitor cgroup behind, and the failed create then removes the container's
 * directory, so nothing names it any more: remove the EMPTY ones made while the rig existed whose server
 * no lxcpath here (the rig's, this machine's own agent's) knows. rmdir refuses a cgroup still in use.
 */
const removeOrphanCgroups = async (s: TRigState) => {
  const known = new Set((await Promise.all([...s.hosts.map((h) => h.lxcPath), DEV_LXC_PATH].map(serverIds))).flat());
  for (const c of await lxcCgroups()) {
    if (known.has(c.id) || (await stat(c.dir)).ctimeMs < s.createdAt) continue;
    if (!(await readFile(path.join(c.dir, 'cgroup.procs'), 'utf8').catch(() => 'x')).trim()) await rmdir(c.dir).catch(() => undefined);
  }
};

const subdirs = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => subdirs(path.join(dir, e.name))));
  return [dir, ...nested.flat()];
};

/** Kill what is left in the containers' cgroups, then remove the cgroups, deepest first. */
const removeCgroups = async (ids: string[]) => {
  const all = (await Promise.all((await containerCgroups(ids)).map(subdirs))).flat().sort(deepestFirst);
  for (let i = 0; i < 50; i++) {
    const procs = (await Promise.all(all.map((d) => readFile(path.join(d, 'cgroup.procs'), 'utf8').catch(() => '')))).join('\n');
    const pids = procs.split('\n').filter(Boolean).map(Number);
    if (!pids.length) break;
    for (const pid of pids) tryKill(pid, 'SIGKILL');
    await sleep(100);
  }
  for (const d of all) await rmdir(d).catch(() => undefined);
};

/** Unmount what the host mounted under its directory (pool, VPS disks), then unpin its mount namespace. */
const unmountHost = async (h: TRigHostState) => {
  if (await nsLink('mnt', h.mntns, await rootMounts())) {
    const r = await exec('nsenter', [`--mount=${h.mntns}`, 'findmnt', '-rn', '-o', 'TARGET']);
    for (const t of r.stdout.split('\n').filter(under(h.dir)).sort(deepestFirst)) await tryRun('nsenter', [`--mount=${h.mntns}`, 'umount', '-l', t]);
  }
};

/** Loop devices whose backing file lies under the rig directory (the pools and VPS disks). */
const detachLoops = async (dir: string) => {
  const { stdout } = await exec('losetup', ['-l', '-n', '-O', 'NAME,BACK-FILE']);
  for (const line of stdout.split('\n')) {
    const [dev, file = ''] = line.trim().split(/\s+/, 2);
    if (dev && under(dir)(file)) await tryRun('losetup', ['-d', dev]);
  }
};

export const teardownRig = async (s: TRigState): Promise<void> => {
  const ids = (await Promise.all(s.hosts.map((h) => serverIds(h.lxcPath)))).flat();
  for (const h of s.hosts) await stopContainers(h, await serverIds(h.lxcPath));
  for (const h of s.hosts) await killHostProcesses(h);
  await removeCgroups(ids);
  await removeOrphanCgroups(s);
  for (const h of s.hosts) await unmountHost(h);
  if (s.forwarderPid && cmdline(s.forwarderPid).includes('tcp-forward.mjs')) tryKill(s.forwarderPid, 'SIGKILL');
  // Root-namespace mounts under the rig: the pinned mount namespaces and their private parent.
  for (const t of (await rootMounts()).filter(under(s.dir)).sort(deepestFirst)) await tryRun('umount', ['-l', t]);
  await detachLoops(s.dir);
  await removeNet(s.hosts.map((h) => h.netns));
  await rm(s.dir, { recursive: true, force: true });
};

/** Rig namespaces no state file names (a run killed before it wrote one): their processes, then them. */
export const removeStrayNetns = async (): Promise<void> => {
  const stray = await listRigNetns();
  for (const netns of stray) await killHostProcesses({ netns, mntns: '/nonexistent' });
  await removeNet(stray);
};

/** What of a rig still exists: network, mounts and loop devices under its directory, the directory. */
export const rigLeftovers = async (dir: string): Promise<string[]> => {
  const found = await netLeftovers();
  found.push(...(await rootMounts()).filter(under(dir)).map((t) => `mount ${t}`));
  const { stdout } = await exec('losetup', ['-l', '-n', '-O', 'NAME,BACK-FILE']);
  found.push(...stdout.split('\n').filter((l) => l.includes(` ${dir}/`)).map((l) => `loop ${l.trim()}`));
  if (await access(dir).then(() => true, () => false)) found.push(`dir ${dir}`);
  return found;
};
