import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** Where backups go. `dir`: a directory (local disk, or an NFS mount shared by several hosts). */
export type TBackupTarget = { kind: 'dir'; path: string };

/**
 * Objects by key, as an S3-compatible store has them: an atomic whole-object put, whole and ranged gets, and
 * deletion by prefix. Everything the backup format needs, so another kind of target is one more implementation.
 */
export type TBackupStore = {
  /** Write an object; visible under `key` only once complete. */
  put(key: string, body: Buffer | AsyncIterable<Buffer>): Promise<{ bytes: number }>;
  get(key: string): Promise<Buffer>;
  /** Exactly `length` bytes at `offset`, or BackupCorruptError (the object is shorter than its manifest says). */
  getRange(key: string, offset: number, length: number): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  /** Delete every object whose key starts with `prefix` (ending in '/'); nothing there succeeds. */
  deletePrefix(prefix: string): Promise<void>;
  /** Bytes of every object under `prefix`. */
  sizeOf(prefix: string): Promise<number>;
};

/**
 * Stored bytes that are not what was written. `backupId`: the backup whose object failed its checksum, when that
 * is certain (not for a short or missing object, which an unmounted or half-synced target also gives).
 */
export class BackupCorruptError extends Error {
  constructor(message: string, readonly backupId?: string) {
    super(message);
    this.name = 'BackupCorruptError';
  }
}
export class BackupMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupMissingError';
  }
}

// Keys become paths: lower-case segments only, never '..', never absolute.
const KEY = /^[a-z0-9_]+(\/[a-z0-9_.-]+)*\/?$/;
export const checkKey = (key: string) => {
  if (!KEY.test(key) || key.split('/').some((s) => s === '..' || s === '.')) throw new Error(`bad backup object key ${JSON.stringify(key)}`);
  return key;
};

const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

/** The `dir` store: an object is a file under the target's path (0700 directories: they hold customers' disks). */
const dirStore = (root: string): TBackupStore => {
  if (!path.isAbsolute(root)) throw new Error(`backup target path ${root} is not absolute`);
  const file = (key: string) => path.join(root, checkKey(key));
  const store: TBackupStore = {
    async put(key, body) {
      const dest = file(key);
      await mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
      const tmp = `${dest}.tmp-${randomBytes(6).toString('hex')}`;
      const fh = await open(tmp, 'w', 0o600);
      let bytes = 0;
      try {
        for await (const chunk of Buffer.isBuffer(body) ? [body] : body) {
          await fh.write(chunk);
          bytes += chunk.length;
        }
        await fh.sync(); // on disk before the name says it is complete
      } catch (e) {
        await fh.close();
        await rm(tmp, { force: true });
        throw e;
      }
      await fh.close();
      await rename(tmp, dest);
      // The name too: a crash right after a reported success must not lose the object.
      const dirFh = await open(path.dirname(dest), 'r');
      await dirFh.sync().catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EINVAL' && e.code !== 'ENOTSUP') throw e; // some network filesystems cannot sync a directory
      }).finally(() => dirFh.close());
      return { bytes };
    },
    async get(key) {
      return readFile(file(key)).catch((e: unknown) => {
        throw missing(e) ? new BackupMissingError(`${key} is not in the backup target`) : e;
      });
    },
    async getRange(key, offset, length) {
      const fh = await open(file(key), 'r').catch((e: unknown) => {
        throw missing(e) ? new BackupCorruptError(`${key} is missing from the backup target`) : e;
      });
      try {
        const buf = Buffer.alloc(length);
        const { bytesRead } = await fh.read(buf, 0, length, offset);
        if (bytesRead !== length) throw new BackupCorruptError(`${key} is shorter than its manifest says (${bytesRead} of ${length} bytes at ${offset})`);
        return buf;
      } finally {
        await fh.close();
      }
    },
    exists: (key) => stat(file(key)).then(() => true, () => false),
    async deletePrefix(prefix) {
      if (!prefix.endsWith('/')) throw new Error(`prefix ${prefix} must end with /`);
      await rm(file(prefix), { recursive: true, force: true });
    },
    async sizeOf(prefix) {
      const dir = file(prefix);
      const names = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
      const sizes = await Promise.all(names.map((n) => stat(path.join(dir, n)).then((s) => (s.isFile() ? s.size : 0), () => 0)));
      return sizes.reduce((a, b) => a + b, 0);
    },
  };
  return store;
};

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (the target may not exist yet). */
const resolveAncestor = async (p: string): Promise<string> => {
  const rest: string[] = [];
  let at = path.resolve(p);
  for (;;) {
    const real = await realpath(at).catch(() => null);
    if (real) return path.join(real, ...rest);
    rest.unshift(path.basename(at));
    at = path.dirname(at);
  }
};

/**
 * The directory a dir target names inside one of `roots` (this host's VPS storage): a backup there would be
 * lost with the disks it is meant to outlive, and would fill the pool the VPSes run on. Symlinks resolved.
 */
export const targetInside = async (target: TBackupTarget, roots: string[]): Promise<string | null> => {
  if (target.kind !== 'dir') return null;
  const where = await resolveAncestor(target.path);
  for (const root of roots) {
    const r = await resolveAncestor(root);
    if (where === r || where.startsWith(`${r}${path.sep}`)) return root;
  }
  return null;
};

export const openBackupStore = (target: TBackupTarget): TBackupStore => {
  if (target.kind === 'dir') return dirStore(target.path);
  throw new Error(`unknown backup target kind ${(target as { kind: string }).kind}`);
};
