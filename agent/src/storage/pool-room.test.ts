import { expect, it } from 'vitest';
import { poolRoom } from './pool-room.ts';

const GB = 1e9;

it('keeps the reserve free: what fits above it passes, what would eat into it does not', () => {
  const pool = { totalBytes: 100 * GB, reservePct: 10 };
  expect(poolRoom({ ...pool, freeBytes: 50 * GB, needBytes: 40 * GB })).toMatchObject({ ok: true, reserve: 10 * GB, left: 10 * GB });
  expect(poolRoom({ ...pool, freeBytes: 50 * GB, needBytes: 40 * GB + 1 }).ok).toBe(false);
  expect(poolRoom({ ...pool, freeBytes: 9 * GB, needBytes: 0 }).ok).toBe(false); // a snapshot on a pool already past its reserve
  expect(poolRoom({ ...pool, reservePct: 0, freeBytes: 1, needBytes: 1 }).ok).toBe(true);
  expect(poolRoom({ ...pool, reservePct: 0, freeBytes: 1, needBytes: 2 }).ok).toBe(false); // never more than is free
});
