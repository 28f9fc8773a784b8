import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { sha256 } from '../migrate/disk-chunks.ts';
import { manifestKey, packKey, ZBackupManifest, type TBackupManifest } from './manifest.ts';
import { BackupCorruptError, type TBackupStore } from './store.ts';

const gunzipAsync = promisify(gunzip);
const WINDOW = 4;

/** A backup's manifest, refused unless its bytes hash to the digest the panel recorded and it names this backup. */
export const readManifest = async (o: { store: TBackupStore; serverId: string; backupId: string; sha256: string }): Promise<TBackupManifest> => {
  const bytes = await o.store.get(manifestKey(o.serverId, o.backupId));
  if (sha256(bytes) !== o.sha256) throw new BackupCorruptError(`the manifest of backup ${o.backupId} does not match its recorded sha256`, o.backupId);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new BackupCorruptError(`the manifest of backup ${o.backupId} is not JSON`);
  }
  const m = ZBackupManifest.safeParse(parsed);
  if (!m.success || m.data.serverId !== o.serverId || m.data.backupId !== o.backupId) {
    throw new BackupCorruptError(`the manifest of backup ${o.backupId} is not one of server ${o.serverId}`);
  }
  return m.data;
};

/**
 * Every data chunk of the manifest, in windows of a few, read from the pack holding it, gunzipped and checked
 * against its sha256, handed to `onChunk` (index, bytes). Any mismatch, short read or bad gzip is a
 * BackupCorruptError naming the chunk and the backup whose pack holds it.
 */
const eachCheckedChunk = async (o: { store: TBackupStore; manifest: TBackupManifest; onChunk?: (index: number, data: Buffer) => Promise<unknown>; onProgress?: (done: number, total: number) => void }) => {
  const { manifest } = o;
  const total = manifest.chunks.length * manifest.chunkBytes;
  let bytes = 0;
  for (let w = 0; w < manifest.chunks.length; w += WINDOW) {
    await Promise.all(manifest.chunks.slice(w, w + WINDOW).map(async ([i, hash, from, offset, length]) => {
      const where = `chunk ${i} (in ${from}'s pack at ${offset})`;
      const gz = await o.store.getRange(packKey(manifest.serverId, from), offset, length);
      const data = await gunzipAsync(gz).catch(() => {
        throw new BackupCorruptError(`backup ${manifest.backupId} is corrupt: ${where} does not decompress`, from);
      });
      if (sha256(data) !== hash) throw new BackupCorruptError(`backup ${manifest.backupId} is corrupt: ${where} fails its sha256 checksum`, from);
      bytes += data.length;
      await o.onChunk?.(i, data);
    }));
    o.onProgress?.(Math.min(w + WINDOW, manifest.chunks.length) * manifest.chunkBytes, total);
  }
  return { chunks: manifest.chunks.length, bytes };
};

/**
 * Rebuild the disk image at `out` (sparse: only data chunks are written) from the manifest, every chunk checked
 * (BackupCorruptError on any mismatch); the caller writes to a scratch file and swaps it in only on success.
 */
export const restoreBackup = async ({ store, manifest, out, onProgress }: { store: TBackupStore; manifest: TBackupManifest; out: string; onProgress?: (done: number, total: number) => void }) => {
  await mkdir(path.dirname(out), { recursive: true, mode: 0o700 });
  const fh = await open(out, 'w', 0o600);
  try {
    await fh.truncate(manifest.size);
    await eachCheckedChunk({ store, manifest, onProgress, onChunk: (i, data) => fh.write(data, 0, data.length, i * manifest.chunkBytes) });
    await fh.sync();
  } finally {
    await fh.close();
  }
};

/** Read every chunk of the backup and check it, writing nothing: what a restore would find, without restoring. */
export const verifyBackup = ({ store, manifest, onProgress }: { store: TBackupStore; manifest: TBackupManifest; onProgress?: (done: number, total: number) => void }) =>
  eachCheckedChunk({ store, manifest, onProgress });
