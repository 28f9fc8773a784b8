import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Files are written into a VPS disk by host root. Once a VPS has run, its root controls the image: a
 * symlink at /etc/hostname -> /etc/shadow would make a naive host write land on the HOST's shadow. So
 * every directory on the way must be a real directory and the last component is never followed.
 */
const ensureDirs = async (root: string, relDir: string, mode: number | null) => {
  let cur = root;
  for (const part of relDir.split('/').filter(Boolean)) {
    cur = path.join(cur, part);
    const st = await lstat(cur).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
    if (!st) {
      if (mode === null) return null; // nothing to walk into (removal of a missing file)
      await mkdir(cur, { mode });
    } else if (!st.isDirectory()) throw new Error(`${cur} is not a directory (symlink?): refusing to write through it`);
  }
  return cur;
};

export type TWriteOpts = { mode: number; uid?: number; gid?: number; dirMode?: number };

/** Write `rel` (relative to the image root) atomically, owned by uid/gid (on-disk ids, default 0). */
export const safeWrite = async (root: string, rel: string, data: string | Buffer, opts: TWriteOpts) => {
  const dir = (await ensureDirs(root, path.dirname(rel), opts.dirMode ?? 0o755))!;
  const file = path.join(dir, path.basename(rel));
  const tmp = `${file}.berth-tmp`;
  await unlink(tmp).catch(() => {});
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, opts.mode);
  try {
    await fh.writeFile(data);
    await fh.chown(opts.uid ?? 0, opts.gid ?? 0);
    await fh.chmod(opts.mode); // umask must not weaken or widen it
  } finally {
    await fh.close();
  }
  await rename(tmp, file); // replaces a symlink itself, never its target
};

/** Read a regular file inside the image (not through a symlink); undefined when missing. */
export const safeRead = async (root: string, rel: string): Promise<string | undefined> => {
  const file = path.join(root, rel);
  const fh = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW).catch((e: NodeJS.ErrnoException) =>
    e.code === 'ENOENT' ? undefined : Promise.reject(e),
  );
  if (!fh) return undefined;
  try {
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
};

/** Remove a file inside the image if present (unlink never follows the last component). */
export const safeRemove = async (root: string, rel: string) => {
  if ((await ensureDirs(root, path.dirname(rel), null)) === null) return;
  await unlink(path.join(root, rel)).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
};
