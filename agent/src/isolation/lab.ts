import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadEnv, ZAgentEnv } from '@berth/config';
import type { TServerSpec } from '@berth/contracts';
import { createLxcDriver } from '../driver/lxc/lxc-driver.ts';
import { testSpec } from '../driver/lxc/test-spec.ts';
import { CommandError, run } from '../exec/run.ts';
import { prepareHost } from '../prepare-host.ts';
import { rootfsDevice } from '../storage/image.ts';
import { storagePaths } from '../storage/paths.ts';

// Real VPSes for the attack suite: nothing is mocked. Only slots 240-245 (198.18.0.240-245) are ours: the
// first files use 243-245, the later ones 240-242 (a file running in another test run next to ours keeps clear).
export const env = loadEnv(ZAgentEnv.pick({ BERTH_DATA_DIR: true, BERTH_LXC_PATH: true }));
export const paths = storagePaths(env.BERTH_DATA_DIR);
export const templateMissing = !existsSync(paths.template('debian-12'));
if (templateMissing) console.warn('SKIP isolation attacks: no debian-12 template; run agent/scripts/build-template.sh');

export const SLOTS = [243, 244, 245] as const;
export const SLOTS_B = [240, 241, 242] as const;
type TSlot = (typeof SLOTS)[number] | (typeof SLOTS_B)[number];
export type TLimits = TServerSpec['limits'];
export type TOut = { code: number | null; out: string; err: string };
export const MiB = 1024 ** 2;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Any exit code is an answer here: attacks are expected to fail, and how they fail is the observation. */
export type TShOptions = { timeoutMs?: number; input?: string };
/** `raw`: one attempt, whatever happens (for attacks that may take the VPS's sshd down with them). */
export type TSshOptions = TShOptions & { raw?: boolean };
export const sh = async (cmd: string, args: string[], { timeoutMs = 30_000, input }: TShOptions = {}): Promise<TOut> => {
  try {
    const r = await run(cmd, args, { timeoutMs, input });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    if (e instanceof CommandError) return { code: e.exitCode, out: e.stdout, err: e.stderr };
    throw e;
  }
};

/** Last line of a command's stderr (the error message an attacker would see). */
export const lastErr = (o: TOut) => o.err.trim().split('\n').pop() ?? '';

export const createLab = (slots: readonly TSlot[] = SLOTS) => {
  const driver = createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
  const booted: TServerSpec[] = [];
  let tmp = '';

  const lab = {
    async setup() {
      await prepareHost({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
      // A run killed half-way (no afterAll) leaves VPSes on our slots: found by their MAC, destroyed first.
      const macs = slots.map((slot) => testSpec(slot).network.mac);
      for (const id of await driver.list()) {
        const config = await readFile(path.join(env.BERTH_LXC_PATH, id, 'config'), 'utf8').catch(() => '');
        if (macs.some((m) => config.includes(`lxc.net.0.hwaddr = ${m}`))) await driver.destroy({ ...testSpec(243), serverId: id });
      }
      tmp = await mkdtemp(path.join(tmpdir(), 'berth-isolation-'));
      await run('ssh-keygen', ['-q', '-N', '', '-t', 'ed25519', '-f', path.join(tmp, 'key')]);
    },

    /** Create and start a VPS with the given plan; it is destroyed by teardown() whatever happens. */
    async boot(slot: TSlot, limits: Partial<TLimits> = {}): Promise<TServerSpec> {
      const key = (await readFile(path.join(tmp, 'key.pub'), 'utf8')).trim();
      const spec = testSpec(slot, { access: { sshKeys: [key], rootPasswordHash: null } });
      spec.limits = { ...spec.limits, ...limits };
      booted.push(spec); // before create: a half-created VPS is cleaned up as well
      try {
        await driver.create(spec);
        await driver.start(spec);
      } catch (e) {
        // The container's own log says why it did not boot; it is gone once teardown destroys the VPS.
        const log = await readFile(path.join(env.BERTH_LXC_PATH, spec.serverId, 'lxc.log'), 'utf8').catch(() => '');
        (e as Error).message += `\n--- lxc.log of ${spec.serverId} (slot ${slot}) ---\n${log.trim().split('\n').slice(-15).join('\n')}`;
        throw e;
      }
      return spec;
    },

    async teardown() {
      for (const s of booted) await driver.destroy(s).catch((e) => console.error(`destroy ${s.serverId} failed`, e));
      if (tmp) await rm(tmp, { recursive: true, force: true });
    },

    /**
     * A shell command as root inside the VPS over ssh, like a customer (or an attacker) runs it. ssh itself
     * failing (exit 255 with ssh's own message) is retried, then thrown: a refused login must never read as
     * a refused attack.
     */
    async ssh(spec: TServerSpec, cmd: string, o: TSshOptions = {}): Promise<TOut> {
      const args = ['-i', path.join(tmp, 'key'), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
        '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'LogLevel=ERROR', `root@${spec.network.ipv4}`, cmd];
      for (let attempt = 1; ; attempt++) {
        const r = await sh('ssh', args, o);
        if (o.raw) return r;
        const sshFailed = r.code === 255 && /^(ssh:|kex_|Connection |Permission denied)/m.test(r.err);
        if (r.code === null) throw new Error(`ssh ${spec.network.ipv4} '${cmd.slice(0, 80)}' timed out`);
        if (!sshFailed) return r;
        if (attempt === 3) throw new Error(`ssh to ${spec.network.ipv4} failed (${r.code}): ${r.err.trim().slice(-300)}`);
        await sleep(1000);
      }
    },

    /** The same through lxc-attach (no sshd involved: for when the VPS's own services may be down). */
    attach: (spec: TServerSpec, cmd: string, o?: TShOptions) =>
      sh('lxc-attach', ['-P', env.BERTH_LXC_PATH, '-n', spec.serverId, '--clear-env', '--', 'sh', '-c', cmd], o),

    /** A cgroup v1 value of the VPS as the host sees it. */
    cgroup: async (spec: TServerSpec, key: string) =>
      (await run('lxc-cgroup', ['-P', env.BERTH_LXC_PATH, '-n', spec.serverId, key], { timeoutMs: 10_000 })).stdout.trim(),

    /** The host path of a file in the VPS's cgroup (for fast polling without spawning lxc-cgroup). */
    cgroupFile: (spec: TServerSpec, controller: string, file: string) =>
      path.join('/sys/fs/cgroup', controller, `lxc.payload.${spec.serverId}`, file),

    /** running, stopped or absent, as the agent's driver sees it. */
    state: (spec: TServerSpec) => driver.state(spec.serverId),

    /** Host pid of the VPS's init (systemd). */
    initPid: async (spec: TServerSpec) =>
      Number((await run('lxc-info', ['-P', env.BERTH_LXC_PATH, '-n', spec.serverId, '-pH'])).stdout.trim()),

    /** The loop device (major:minor) carrying the VPS's disk, as named in its blkio throttles. */
    device: (spec: TServerSpec) => rootfsDevice(paths, spec.serverId),
  };
  return lab;
};
export type TLab = ReturnType<typeof createLab>;
