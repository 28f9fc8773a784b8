// One rig host: its mount namespace, sshd, storage (prepare-host + the OS template) and agent process.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT, ZAgentEnv } from '@berth/config';
import { exec, must, waitFor, type TExecOptions, type TExecResult } from './rig-exec.ts';
import type { THostNet } from './rig-net.ts';
import type { TRigHostState } from './rig-state.ts';
import { IN_HOST } from './rig-teardown.ts';

export type TAgentHandle = {
  readonly pid: number;
  readonly logFile: string;
  running: () => boolean;
  /** SIGTERM, as a host shutdown: the agent finishes its jobs and exits (SIGKILL after 30 s). */
  stop: () => Promise<void>;
  /** SIGKILL to the agent's whole process group: a crash. Its VPSes keep running. */
  kill: () => Promise<void>;
  /** Start it again with the same environment (stopping it first if it runs). */
  restart: () => Promise<void>;
};

export type TRigHost = TRigHostState & THostNet & {
  index: number;
  /** The host row id its agent serves (BERTH_HOST_ID); registerRigHosts puts it in a stack's database. */
  id: string;
  dataDir: string;
  /** Run a command on the host (its namespaces, the repo root as working directory). */
  exec: (cmd: string, args?: string[], o?: TExecOptions) => Promise<TExecResult>;
  /** Run a shell command on the host through its sshd, as an installer would. */
  ssh: (command: string) => Promise<TExecResult>;
  startAgent: (env: Record<string, string>) => Promise<TAgentHandle>;
  agent?: TAgentHandle;
};

const sshOpts = (keyFile: string) => ['-i', keyFile, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
  '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-o', 'LogLevel=ERROR'];

const tcpOpen = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host, port, timeout: 1000 });
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.once('connect', () => done(true)).once('timeout', () => done(false)).once('error', () => done(false));
  });

/** Start a long-running process on the host in its own process group, output appended to `logFile`. */
const spawnInHost = (h: TRigHostState, cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess => {
  const fd = openSync(logFile, 'a');
  const c = spawn(IN_HOST, [h.netns, h.mntns, cmd, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  c.unref();
  return c;
};

/** The host's mount namespace, pinned to a file: shared by everything started on the host, across restarts. */
export const createHostMountNs = async (h: TRigHostState) => {
  await must(path.join(REPO_ROOT, 'scripts/rig/host-ns.sh'), [h.netns, h.mntns, path.join(h.dir, 'scratch')]);
};

const SSHD_CONFIG = (h: TRigHost, authorizedKeys: string) => `# Written by the Berth test rig.
ListenAddress ${h.mgmtIp}:22
HostKey ${h.dir}/ssh/host_ed25519_key
PidFile ${h.dir}/ssh/sshd.pid
AuthorizedKeysFile ${authorizedKeys}
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp /usr/lib/openssh/sftp-server
`;

/** sshd on the host's management address; sessions land in the host's namespaces (lxc-* works there). */
export const startSshd = async (h: TRigHost, authorizedKeys: string) => {
  const dir = path.join(h.dir, 'ssh');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `rig-${h.name}`, '-f', path.join(dir, 'host_ed25519_key')]);
  await writeFile(path.join(dir, 'sshd_config'), SSHD_CONFIG(h, authorizedKeys));
  await must(IN_HOST, [h.netns, h.mntns, '/usr/sbin/sshd', '-t', '-f', path.join(dir, 'sshd_config')]);
  const c = spawnInHost(h, '/usr/sbin/sshd', ['-D', '-e', '-f', path.join(dir, 'sshd_config')], process.env, path.join(h.dir, 'sshd.log'));
  await waitFor(`sshd of ${h.name} on ${h.mgmtIp}:22`, async () => {
    if (c.exitCode !== null) throw new Error(`sshd of ${h.name} exited: ${readFileSync(path.join(h.dir, 'sshd.log'), 'utf8')}`);
    return tcpOpen(h.mgmtIp, 22);
  });
};

export const sshToHost = (h: THostNet, keyFile: string, command: string) =>
  exec('ssh', [...sshOpts(keyFile), `root@${h.mgmtIp}`, command], { timeoutMs: 60_000 });

/** The agent's own host preparation (pool, firewall, bridge, lxcfs), then the OS template into its pool. */
export const prepareHostStorage = async (h: TRigHost, template: { file: string; imageRef: string }) => {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, BERTH_DATA_DIR: h.dataDir, BERTH_LXC_PATH: h.lxcPath };
  await must(IN_HOST, [h.netns, h.mntns, 'node_modules/.bin/tsx', 'agent/src/prepare-host.ts'], { env, cwd: REPO_ROOT, timeoutMs: 120_000 });
  // The pool is mounted in the host's namespace only: stream the template in (cp --reflink needs it there).
  const dst = path.join(h.dataDir, 'pool/templates', `${template.imageRef}.img`);
  await must(IN_HOST, [h.netns, h.mntns, 'sh', '-c', 'cat > "$1.tmp" && mv "$1.tmp" "$1"', 'sh', dst], { stdinFile: template.file });
};

const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};
const logFrom = (file: string, offset: number) => readFileSync(file, 'utf8').slice(offset);
const sizeOf = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/** Only the agent's own variables of a wider env (e.g. a stack's): DATABASE_URL and the like never reach a host. */
const agentVars = (env: Record<string, string>) =>
  Object.fromEntries(Object.keys(ZAgentEnv.shape).flatMap((k) => (env[k] === undefined ? [] : [[k, env[k]]])));

/** The caller's Redis URL (e.g. a per-host Redis user's) with host:port replaced by the rig's forwarder. */
const viaForwarder = (url: string | undefined, forwarder: string) => {
  if (!url) return forwarder;
  const u = new URL(url);
  const f = new URL(forwarder);
  [u.hostname, u.port] = [f.hostname, f.port];
  return u.toString();
};

/**
 * Run the real agent on the host (tsx agent/src/main.ts, repo root, through in-host.sh). The host's own
 * settings win over `env`: its id, data dir, lxcpath, console address, and Redis reached through the forwarder
 * (env.REDIS_URL's credentials and db are kept).
 * Resolves once the agent has prepared the host and serves its queue.
 */
export const startAgent = async (h: TRigHost, env: Record<string, string>, redisUrl: string): Promise<TAgentHandle> => {
  const logFile = path.join(h.dir, 'agent.log');
  const agentEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: env.NODE_ENV ?? 'production', ...agentVars(env),
    BERTH_HOST_ID: h.id, BERTH_DATA_DIR: h.dataDir, BERTH_LXC_PATH: h.lxcPath, REDIS_URL: viaForwarder(env.REDIS_URL, redisUrl),
    AGENT_CONSOLE_HOST: h.mgmtIp, AGENT_CONSOLE_PUBLIC_HOST: h.mgmtIp,
  };
  let child: ChildProcess | undefined;
  const launch = async () => {
    const from = sizeOf(logFile);
    const c = spawnInHost(h, 'node_modules/.bin/tsx', ['agent/src/main.ts'], agentEnv, logFile);
    child = c;
    await waitFor(`the agent of ${h.name}`, async () => {
      if (c.exitCode !== null || c.signalCode !== null) throw new Error(`agent of ${h.name} exited`);
      return logFrom(logFile, from).includes('berth agent ');
    }, 120_000).catch((e: Error) => Promise.reject(new Error(`${e.message}\n${logFrom(logFile, from).slice(-2000)}`)));
  };
  const pid = () => child!.pid!;
  const running = () => groupAlive(pid());
  const kill = async () => {
    if (running()) process.kill(-pid(), 'SIGKILL');
    await waitFor(`the agent of ${h.name} to die`, async () => !running(), 10_000);
  };
  // To tsx alone, which relays it: the agent takes a second SIGTERM as "exit now".
  const stop = async () => {
    if (running()) process.kill(pid(), 'SIGTERM');
    await waitFor(`the agent of ${h.name} to stop`, async () => !running(), 30_000).catch(kill);
  };
  const restart = async () => {
    await stop();
    await launch();
  };
  await launch();
  const handle: TAgentHandle = { get pid() { return pid(); }, logFile, running, stop, kill, restart };
  h.agent = handle;
  return handle;
};
