import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { run } from '../exec/run.ts';

/** Transfer unit: small enough that a delta is small, big enough that per-chunk overhead is noise. */
export const CHUNK_BYTES = 1024 * 1024;

/** index -> sha256 hex of every chunk holding a non-zero byte; a chunk absent from it is all zeros (a hole). */
export type TChunkHashes = Map<number, string>;

/** [start, end) byte ranges holding data, from SEEK_DATA/SEEK_HOLE (so a 10 GB sparse disk is not read whole). */
export const dataRanges = async (file: string): Promise<[number, number][]> => {
  const size = (await stat(file)).size;
  const { stdout } = await run('xfs_io', ['-r', '-c', 'seek -a -r 0', file]);
  const marks = stdout.split('\n').map((l) => /^(DATA|HOLE)\s+(\d+)/.exec(l.trim())).filter((m) => m !== null)
    .map((m) => ({ kind: m[1], at: Number(m[2]) }));
  const ranges: [number, number][] = [];
  marks.forEach((m, i) => {
    if (m.kind === 'DATA') ranges.push([m.at, marks[i + 1]?.at ?? size]);
  });
  return ranges;
};

/** Chunk indexes any data range touches, ascending. */
export const chunksOf = (ranges: [number, number][], chunkBytes = CHUNK_BYTES): number[] => {
  const out: number[] = [];
  for (const [start, end] of ranges) {
    const first = Math.max(Math.floor(start / chunkBytes), (out.at(-1) ?? -1) + 1);
    for (let i = first; i * chunkBytes < end; i++) out.push(i);
  }
  return out;
};

const ZEROS = Buffer.alloc(CHUNK_BYTES);
export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
export const isZero = (b: Buffer) => b.equals(ZEROS.subarray(0, b.length));

/** Read one chunk (the last may be short). */
export const readChunk = async (file: string, index: number, size: number): Promise<Buffer> => {
  const fh = await open(file, 'r');
  try {
    const len = Math.min(CHUNK_BYTES, size - index * CHUNK_BYTES);
    const buf = Buffer.alloc(Math.max(0, len));
    await fh.read(buf, 0, buf.length, index * CHUNK_BYTES);
    return buf;
  } finally {
    await fh.close();
  }
};

/** Hash every non-zero chunk of a disk image, skipping holes without reading them. */
export const hashImage = async (file: string): Promise<{ size: number; hashes: TChunkHashes }> => {
  const size = (await stat(file)).size;
  const hashes: TChunkHashes = new Map();
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(CHUNK_BYTES);
    for (const i of chunksOf(await dataRanges(file))) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK_BYTES, size - i * CHUNK_BYTES), i * CHUNK_BYTES);
      const b = buf.subarray(0, bytesRead);
      if (!isZero(b)) hashes.set(i, sha256(b));
    }
  } finally {
    await fh.close();
  }
  return { size, hashes };
};

/** What must travel for `theirs` to become `ours`: chunks to send, and chunks to turn into holes. */
export const chunkDelta = (ours: TChunkHashes, theirs: TChunkHashes): { send: number[]; zero: number[] } => ({
  send: [...ours].filter(([i, h]) => theirs.get(i) !== h).map(([i]) => i),
  zero: [...theirs.keys()].filter((i) => !ours.has(i)),
});
