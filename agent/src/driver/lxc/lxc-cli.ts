import { readFile } from 'node:fs/promises';
import { CommandError, run } from '../../exec/run.ts';

/** Thin wrappers over the lxc-* tools, always with an explicit lxcpath (-P must be absolute). */
export type TLxc = { lxcPath: string; name: string; logFile: string };

/** RUNNING, STOPPED, STARTING, STOPPING, FROZEN... as lxc-info reports it. */
export const lxcInfoState = async ({ lxcPath, name }: TLxc): Promise<string> =>
  (await run('lxc-info', ['-P', lxcPath, '-n', name, '-sH'], { timeoutMs: 10_000 })).stdout.trim();

/** Start in the background; on failure the error carries the tail of the container's log (the real cause). */
export const lxcStart = async (c: TLxc, settings: string[]): Promise<void> => {
  const args = ['-P', c.lxcPath, '-n', c.name, '-d', ...settings.flatMap((s) => ['-s', s])];
  try {
    await run('lxc-start', args, { timeoutMs: 60_000 });
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    const log = await readFile(c.logFile, 'utf8').catch(() => '');
    const tail = log.trim().split('\n').slice(-8).join('\n');
    throw new CommandError(e.cmd, e.args, e.exitCode, `${e.stderr}\n${tail}`, e.stdout, e.signal);
  }
};

/** Change one cgroup v1 value of a running container (`--` so that -1 is not taken for an option). */
export const lxcCgroup = async ({ lxcPath, name }: TLxc, key: string, value: string): Promise<void> => {
  await run('lxc-cgroup', ['-P', lxcPath, '-n', name, '--', key, value], { timeoutMs: 10_000 });
};

/** Read one cgroup v1 value of a running container. */
export const lxcCgroupGet = async ({ lxcPath, name }: TLxc, key: string): Promise<string> =>
  (await run('lxc-cgroup', ['-P', lxcPath, '-n', name, key], { timeoutMs: 10_000 })).stdout.trim();

/** Clean shutdown (SIGPWR to init), hard kill after timeoutS; `kill` skips the clean part. */
export const lxcStop = async ({ lxcPath, name }: TLxc, opts: { timeoutS: number } | { kill: true }) => {
  const mode = 'kill' in opts ? ['-k'] : ['-t', String(opts.timeoutS)];
  const timeoutMs = 'kill' in opts ? 30_000 : (opts.timeoutS + 30) * 1000;
  await run('lxc-stop', ['-P', lxcPath, '-n', name, ...mode], { timeoutMs });
};

/** Run a command inside the container; returns stdout and the exit code instead of throwing on non-zero. */
export const lxcAttach = async ({ lxcPath, name }: TLxc, cmd: string[], timeoutMs = 10_000) => {
  try {
    const r = await run('lxc-attach', ['-P', lxcPath, '-n', name, '--clear-env', '--', ...cmd], { timeoutMs });
    return { stdout: r.stdout, code: 0 as number | null };
  } catch (e) {
    if (e instanceof CommandError) return { stdout: e.stdout, code: e.exitCode };
    throw e;
  }
};

export const lxcDestroy = async ({ lxcPath, name }: TLxc) => {
  await run('lxc-destroy', ['-P', lxcPath, '-n', name], { timeoutMs: 60_000 });
};

/**
 * Tell the L2 segment that the VPS's IPv4 answers at its MAC from this port now (unsolicited ARP from
 * inside its network namespace): after a migration switches and neighbours learn the new place at once.
 * Best effort: a VPS whose address moved without it is found by the next ARP retry.
 */
export const lxcAnnounce = async ({ lxcPath, name }: TLxc, ipv4: string): Promise<void> => {
  try {
    const pid = (await run('lxc-info', ['-P', lxcPath, '-n', name, '-pH'], { timeoutMs: 10_000 })).stdout.trim();
    if (!/^\d+$/.test(pid)) return;
    await run('nsenter', ['-t', pid, '-n', 'busybox', 'arping', '-U', '-c', '1', '-I', 'eth0', ipv4], { timeoutMs: 5_000 });
  } catch (e) {
    console.warn(`${name}: gratuitous ARP failed: ${e instanceof Error ? e.message : e}`);
  }
};
