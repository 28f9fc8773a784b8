import { statfs } from 'node:fs/promises';
import { InvalidSpecError } from '../driver/driver.ts';

const GB = 1e9;
const gb = (n: number) => `${(n / GB).toFixed(1)} GB`;

/**
 * Whether `needBytes` more on the pool still leaves its reserve free: the running VPSes' sparse disks grow into
 * the pool, and a pool that fills up fails every neighbour's writes, not just the one that filled it.
 */
export const poolRoom = (o: { freeBytes: number; totalBytes: number; needBytes: number; reservePct: number }) => {
  const reserve = Math.ceil((o.totalBytes * o.reservePct) / 100);
  const left = o.freeBytes - o.needBytes;
  return { ok: left >= reserve, reserve, left };
};

/**
 * Refuse (unrecoverable: the job fails now with the reason, the customer tries later) what would take the pool
 * below its reserve: a snapshot or a backup's frozen copy (0 bytes at first, the changes after), a restore's
 * rebuilt disk (its data).
 */
export const ensurePoolRoom = async (o: { pool: string; needBytes: number; reservePct: number; what: string }) => {
  const s = await statfs(o.pool);
  const freeBytes = s.bavail * s.bsize;
  const room = poolRoom({ freeBytes, totalBytes: s.blocks * s.bsize, needBytes: o.needBytes, reservePct: o.reservePct });
  if (!room.ok) {
    throw new InvalidSpecError(`no room on this host's storage pool for ${o.what}: ${gb(freeBytes)} free, ${gb(o.needBytes)} needed, `
      + `${o.reservePct}% (${gb(room.reserve)}) kept free for the running servers; try again later`);
  }
};
