import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES, chunkDelta, chunksOf, hashImage, sha256 } from './disk-chunks.ts';

describe('disk chunks', () => {
  it('maps data ranges to the chunks they touch, each once', () => {
    const C = CHUNK_BYTES;
    expect(chunksOf([[0, 10]])).toEqual([0]);
    expect(chunksOf([[0, C]])).toEqual([0]);
    expect(chunksOf([[0, C + 1]])).toEqual([0, 1]);
    expect(chunksOf([[10, 20], [C - 5, C + 5], [3 * C, 3 * C + 1]])).toEqual([0, 1, 3]);
    expect(chunksOf([])).toEqual([]);
  });

  it('sends what differs or is missing and turns into holes what the target has but we do not', () => {
    const ours = new Map([[0, 'a'], [1, 'b'], [5, 'e']]);
    const theirs = new Map([[0, 'a'], [1, 'x'], [7, 'z']]);
    expect(chunkDelta(ours, theirs)).toEqual({ send: [1, 5], zero: [7] });
    expect(chunkDelta(ours, new Map(ours))).toEqual({ send: [], zero: [] });
  });

  describe('hashImage on a real sparse file', () => {
    let dir = '';
    afterAll(() => rm(dir, { recursive: true, force: true }));
    it('hashes the chunks holding data, skips holes and all-zero chunks', async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'berth-chunks-'));
      const file = path.join(dir, 'disk.img');
      const fh = await open(file, 'w');
      const data = Buffer.alloc(CHUNK_BYTES, 7);
      await fh.write(data, 0, data.length, 2 * CHUNK_BYTES); // chunk 2
      await fh.write(Buffer.alloc(4096), 0, 4096, 5 * CHUNK_BYTES); // chunk 5: written, but zeros
      await fh.truncate(64 * CHUNK_BYTES);
      await fh.close();
      const { size, hashes } = await hashImage(file);
      expect(size).toBe(64 * CHUNK_BYTES);
      expect([...hashes]).toEqual([[2, sha256(data)]]);
    });
  });
});
