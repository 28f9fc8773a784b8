// The test rig: N simulated hosts on this machine (docs/two-host-rig.md), each with its own network and
// mount namespace, management IP, sshd, data dir, lxcpath and real agent, their VPSes on one shared L2
// "switch" that tests in the root namespace reach. `destroy()` removes everything, and a later
// createRig() first removes what a killed run left behind.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { loadEnv, REPO_ROOT, ZAgentEnv } from '@berth/config';
import { newId } from '@berth/contracts';
import { ensureLxcfs } from '../../agent/src/host/lxcfs.ts';
import { exec, must, waitFor } from './rig-exec.ts';
import { createHostMountNs, prepareHostStorage, sshToHost, startAgent, startSshd, type TRigHost } from './rig-host.ts';
import { createHostNet, createRootNet, hostNet, MGMT_GATEWAY, SWITCH_CIDR, SWITCH_GATEWAY } from './rig-net.ts';
import { ownerAlive, processStart, readState, RIG_DIR_PREFIX, writeState, type TRigState } from './rig-state.ts';
import { IN_HOST, removeStrayNetns, rigLeftovers, teardownRig } from './rig-teardown.ts';

export type { TRigHost } from './rig-host.ts';
export type { TAgentHandle } from './rig-host.ts';
export { MGMT_GATEWAY, SWITCH_CIDR, SWITCH_GATEWAY } from './rig-net.ts';

export type TRigOptions = {
  /** Host names (1-8 chars of a-z0-9), e.g. ['a', 'b']. */
  hosts: string[];
  /** The Redis that agents reach through the rig's forwarder (default: REDIS_URL of the env or .env). */
  redisUrl?: string;
  /** The OS template each host's pool gets (default: the one `npm run setup` built). */
  template?: { file: string; imageRef: string };
};

export type TRig = {
  id: string;
  dir: string;
  hosts: TRigHost[];
  host: (name: string) => TRigHost;
  /** Private key that logs into every host's sshd as root. */
  sshKeyFile: string;
  /** REDIS_URL as the hosts see it: the forwarder on the management bridge. */
  redisUrl: string;
  /** Host offsets of SWITCH_CIDR for this host's VPSes ("10-99"): disjoint blocks of the shared /24. */
  poolRange: (h: TRigHost) => string;
  destroy: () => Promise<void>;
  /** What of the rig still exists (after destroy: nothing). */
  leftovers: () => Promise<string[]>;
};

const DEFAULT_TEMPLATE = { file: '/var/lib/berth/pool/templates/debian-12.img', imageRef: 'debian-12' };

/** Only one rig at a time (its addresses are fixed): tear down what a dead owner left, refuse a live one. */
export const removeLeftoverRigs = async (): Promise<void> => {
  for (const n of (await readdir('/tmp')).filter((n) => `/tmp/${n}`.startsWith(RIG_DIR_PREFIX))) {
    const dir = `/tmp/${n}`;
    const s = readState(dir) ?? { dir, owner: { pid: 0, start: '' }, createdAt: Date.now(), hosts: [] };
    if (ownerAlive(s)) throw new Error(`rig: ${dir} belongs to the running process ${s.owner.pid}; one rig at a time`);
    await teardownRig(s);
  }
  await removeStrayNetns();
};

const poolRange = (count: number) => (h: TRigHost) => {
  const block = Math.min(90, Math.floor(244 / count));
  return `${10 + h.index * block}-${9 + (h.index + 1) * block}`;
};

/** A private mount to pin mount namespaces on (a namespace file cannot be bound under a shared mount). */
const pinDir = async (dir: string) => {
  await mkdir(dir, { recursive: true });
  await must('mount', ['--bind', dir, dir]);
  await must('mount', ['--make-private', dir]);
};

/** Redis listens on loopback: a forwarder on the management bridge lets the hosts' agents reach it. */
const startForwarder = async (s: TRigState, target: string): Promise<string> => {
  const u = new URL(target);
  const port = u.port || '6379';
  const fd = openSync(path.join(s.dir, 'forward.log'), 'a');
  const c = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts/rig/tcp-forward.mjs'), MGMT_GATEWAY, port, u.hostname, port],
    { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  c.unref();
  s.forwarderPid = c.pid;
  writeState(s);
  await waitFor('the Redis forwarder', async () => {
    if (c.exitCode !== null) throw new Error('rig: the Redis forwarder exited (see forward.log)');
    return new Promise<boolean>((resolve) => {
      const sock = net.connect({ host: MGMT_GATEWAY, port: Number(port) }, () => (sock.destroy(), resolve(true)));
      sock.once('error', () => resolve(false));
    });
  });
  u.hostname = MGMT_GATEWAY;
  return u.toString();
};

const makeHost = (dir: string, name: string, index: number, sshKeyFile: string): TRigHost => {
  const hdir = path.join(dir, name);
  const h: TRigHost = {
    ...hostNet(name, index), name, index, id: newId('host'), dir: hdir, dataDir: path.join(hdir, 'data'),
    lxcPath: path.join(hdir, 'lxc'), mntns: path.join(dir, 'ns', `${name}.mnt`),
    exec: (cmd, args = [], o = {}) => exec(IN_HOST, [h.netns, h.mntns, cmd, ...args], { cwd: REPO_ROOT, ...o }),
    ssh: (command) => sshToHost(h, sshKeyFile, command),
    startAgent: () => Promise.reject(new Error('rig: the host is not up yet')),
  };
  return h;
};

export const createRig = async (o: TRigOptions): Promise<TRig> => {
  if (!o.hosts.length || new Set(o.hosts).size !== o.hosts.length) throw new Error('rig: give distinct host names');
  await removeLeftoverRigs();
  const id = randomBytes(3).toString('hex');
  const dir = `${RIG_DIR_PREFIX}${id}`;
  // Container roots (unprivileged uids) must traverse it to reach their rootfs under each host's data dir.
  await mkdir(dir, { mode: 0o755 });
  await mkdir(path.join(dir, 'ssh'), { mode: 0o700 });
  const sshKeyFile = path.join(dir, 'ssh', 'id_ed25519');
  const hosts = o.hosts.map((n, i) => makeHost(dir, n, i, sshKeyFile));
  const state: TRigState = {
    dir, owner: { pid: process.pid, start: processStart(process.pid)! }, createdAt: Date.now(),
    hosts: hosts.map(({ name, netns, mntns, dir: d, lxcPath }) => ({ name, netns, mntns, dir: d, lxcPath })),
  };
  writeState(state);
  const destroy = () => teardownRig(state);
  try {
    await ensureLxcfs(); // a host service all hosts share: started in the root namespace if it is not running
    await createRootNet();
    await pinDir(path.join(dir, 'ns'));
    const redisUrl = await startForwarder(state, o.redisUrl ?? loadEnv(ZAgentEnv.pick({ REDIS_URL: true })).REDIS_URL);
    await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `berth-rig-${id}`, '-f', sshKeyFile]);
    for (const h of hosts) {
      await mkdir(h.dir, { recursive: true });
      await createHostNet(h);
      await createHostMountNs(h);
      await startSshd(h, `${sshKeyFile}.pub`);
      h.startAgent = (env) => startAgent(h, env, redisUrl);
    }
    await Promise.all(hosts.map((h) => prepareHostStorage(h, o.template ?? DEFAULT_TEMPLATE)));
    const host = (name: string) => {
      const h = hosts.find((x) => x.name === name);
      if (!h) throw new Error(`rig: no host ${name}`);
      return h;
    };
    return { id, dir, hosts, host, sshKeyFile, redisUrl, poolRange: poolRange(hosts.length), destroy, leftovers: () => rigLeftovers(dir) };
  } catch (e) {
    await destroy().catch((t: Error) => console.error(`rig: teardown after a failed create: ${t.message}`));
    throw e;
  }
};
