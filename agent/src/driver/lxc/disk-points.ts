import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from '../../exec/run.ts';
import { findMount } from '../../storage/mounts.ts';
import type { TStoragePaths } from '../../storage/paths.ts';
import { lxcInfoState, type TLxc } from './lxc-cli.ts';

// Copy-on-write points of a VPS disk on the pool: snapshots, a backup's frozen copy, a disk put back.

const exists = (p: string) => stat(p).then(() => true, () => false);

/** Bytes the file really occupies (a reflink shares them with the disk until either changes). */
export const allocatedBytes = async (file: string) => (await stat(file)).blocks * 512;

/**
 * Reflink the VPS's disk to `dest` at one consistent instant: the container's cgroup is frozen (no process
 * runs), its ext4 is frozen (flushed to the image, no write in flight), the clone is taken (XFS flushes the
 * image's dirty pages first), then both are thawed, whatever happened in between (a thaw is registered before
 * its freeze, and a mark survives an agent crash). Written as dest.tmp and renamed: a snapshot that exists is whole.
 */
export const frozenReflink = async (o: { paths: TStoragePaths; c: TLxc; serverId: string; dest: string }) => {
  const image = o.paths.image(o.serverId);
  if (!(await exists(image))) throw new Error(`${o.serverId} has no disk on this host`);
  await mkdir(path.dirname(o.dest), { recursive: true, mode: 0o700 });
  const mnt = o.paths.mountpoint(o.serverId);
  // Thaws, newest first, run whether the clone worked or not. Each is registered before its freeze: a freeze
  // killed at its timeout may still have frozen (the kernel finishes it). Only a thaw whose freeze was
  // confirmed makes a failure to report; the mark stays until every thaw has worked (thawLeftovers retries).
  const thaws: { thaw: () => Promise<unknown>; confirmed: boolean }[] = [];
  const freeze = async (cmd: string[], thawCmd: string[], timeoutMs: number) => {
    const t = { thaw: () => run(thawCmd[0]!, thawCmd.slice(1), { timeoutMs: 30_000 }), confirmed: false };
    thaws.unshift(t);
    await run(cmd[0]!, cmd.slice(1), { timeoutMs });
    t.confirmed = true;
  };
  // Should the agent die between freeze and thaw, its next start thaws what this mark names (thawLeftovers).
  const mark = frozenMark(o.paths, o.serverId);
  await mkdir(o.paths.work, { recursive: true, mode: 0o700 });
  await writeFile(mark, `${o.c.lxcPath}\n${mnt}\n`);
  try {
    const running = ['RUNNING', 'FROZEN'].includes(await lxcInfoState(o.c).catch(() => 'STOPPED'));
    if (running) await freeze(['lxc-freeze', '-P', o.c.lxcPath, '-n', o.c.name], ['lxc-unfreeze', '-P', o.c.lxcPath, '-n', o.c.name], 30_000);
    if (await findMount(mnt)) await freeze(['fsfreeze', '-f', mnt], ['fsfreeze', '-u', mnt], 60_000);
    await run('cp', ['--reflink=always', image, `${o.dest}.tmp`], { timeoutMs: 60_000 });
  } finally {
    let failed: unknown;
    let unsure = false;
    for (const t of thaws) {
      await t.thaw().catch((e: unknown) => {
        if (t.confirmed) failed ??= e;
        else unsure = true; // "not frozen" after a freeze that failed, most likely
      });
    }
    if (failed) throw failed;
    if (!unsure) await rm(mark, { force: true });
  }
  await rename(`${o.dest}.tmp`, o.dest);
  return { sizeBytes: await allocatedBytes(o.dest) };
};

const frozenMark = (paths: TStoragePaths, serverId: string) => path.join(paths.work, `${serverId}.frozen`);

/**
 * At agent start: thaw every VPS a crashed agent left frozen mid-snapshot (its mark names the lxcpath and the
 * mountpoint). Bounded by the marks, not by the VPSes on the host. Returns the server ids thawed.
 */
export const thawLeftovers = async (paths: TStoragePaths): Promise<string[]> => {
  const marks = (await readdir(paths.work).catch(() => [] as string[])).filter((n) => /^srv_[0-9a-z]{6,40}\.frozen$/.test(n));
  for (const m of marks) {
    const serverId = m.slice(0, -'.frozen'.length);
    const [lxcPath, mnt] = (await readFile(path.join(paths.work, m), 'utf8')).split('\n');
    // Either may not be frozen (the crash came before or after): "not frozen" is fine.
    if (mnt) await run('fsfreeze', ['-u', mnt], { timeoutMs: 30_000 }).catch(() => undefined);
    if (lxcPath) await run('lxc-unfreeze', ['-P', lxcPath, '-n', serverId], { timeoutMs: 30_000 }).catch(() => undefined);
    await rm(path.join(paths.work, m), { force: true });
  }
  return marks.map((m) => m.slice(0, -'.frozen'.length));
};

/** Remove a copy (and a half-made one); already gone is fine. */
export const dropCopy = async (file: string) => {
  await rm(file, { force: true });
  await rm(`${file}.tmp`, { force: true });
};

/** Reflink a saved point (snapshot) to where it replaces a disk, keeping the point itself. */
export const reflinkTo = async (from: string, to: string) => {
  if (!(await exists(from))) throw new Error(`${path.basename(from)} is not on this host`);
  await mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
  await run('cp', ['--reflink=always', from, `${to}.tmp`], { timeoutMs: 60_000 });
  await rename(`${to}.tmp`, to);
};
