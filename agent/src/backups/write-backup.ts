import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { CHUNK_BYTES, chunksOf, dataRanges, isZero, sha256 } from '../migrate/disk-chunks.ts';
import { manifestKey, packKey, type TBackupManifest, type TManifestChunk } from './manifest.ts';
import type { TBackupStore } from './store.ts';

const gzipAsync = promisify(gzip);
/** Chunks read, hashed and compressed at once (zlib runs on the thread pool: the agent's loop stays free). */
const WINDOW = 4;
// Level 1: ~3x faster than the default for a few % more bytes; disks are mostly binaries and logs.
const LEVEL = 1;

type TOptions = {
  store: TBackupStore;
  /** A stable file: a frozen reflink of the disk, never the live disk. */
  image: string;
  serverId: string;
  backupId: string;
  /** The parent's manifest (verified by the caller) for an incremental; null for a full. */
  parent: TBackupManifest | null;
  onProgress?: (doneBytes: number, totalBytes: number) => void;
};

/**
 * Write a backup of `image`: its data chunks (holes are not even read), each gzip-compressed into this backup's
 * pack unless the parent holds the same bytes at the same place (then the manifest points at the parent's
 * copy), then the manifest, whose presence means the backup is whole. A retried job overwrites both.
 */
export const writeBackup = async ({ store, image, serverId, backupId, parent, onProgress }: TOptions) => {
  const size = (await stat(image)).size;
  const indexes = chunksOf(await dataRanges(image));
  const inParent = new Map((parent?.chunks ?? []).map((c) => [c[0], c]));
  const chunks: TManifestChunk[] = [];
  const packHash = createHash('sha256');
  let offset = 0;
  let dataBytes = 0;
  let newChunks = 0;
  const fh = await open(image, 'r');
  async function* pack() {
    for (let w = 0; w < indexes.length; w += WINDOW) {
      const batch = await Promise.all(indexes.slice(w, w + WINDOW).map(async (i) => {
        const buf = Buffer.alloc(Math.min(CHUNK_BYTES, size - i * CHUNK_BYTES));
        await fh.read(buf, 0, buf.length, i * CHUNK_BYTES);
        if (isZero(buf)) return null;
        const hash = sha256(buf);
        const same = inParent.get(i);
        if (same && same[1] === hash) return { i, hash, len: buf.length, ref: same };
        return { i, hash, len: buf.length, gz: await gzipAsync(buf, { level: LEVEL }) };
      }));
      for (const c of batch) {
        if (!c) continue;
        dataBytes += c.len;
        if ('ref' in c && c.ref) {
          chunks.push([c.i, c.hash, c.ref[2], c.ref[3], c.ref[4]]);
          continue;
        }
        const gz = c.gz!;
        chunks.push([c.i, c.hash, backupId, offset, gz.length]);
        offset += gz.length;
        newChunks++;
        packHash.update(gz);
        yield gz;
      }
      onProgress?.(Math.min(w + WINDOW, indexes.length) * CHUNK_BYTES, indexes.length * CHUNK_BYTES);
    }
  }
  let packBytes: number;
  try {
    packBytes = (await store.put(packKey(serverId, backupId), pack())).bytes;
  } finally {
    await fh.close();
  }
  const manifest: TBackupManifest = {
    v: 1, serverId, backupId, parentId: parent?.backupId ?? null, kind: parent ? 'incremental' : 'full',
    size, chunkBytes: CHUNK_BYTES, packBytes, packSha256: packHash.digest('hex'), chunks, createdAt: new Date().toISOString(),
  };
  const text = Buffer.from(JSON.stringify(manifest));
  await store.put(manifestKey(serverId, backupId), text);
  return { manifest, manifestSha256: sha256(text), storedBytes: packBytes + text.length, dataBytes, newChunks, totalChunks: chunks.length };
};
