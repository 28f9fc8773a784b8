import type { TDb } from '@berth/db';

type TOptions = { db: TDb; olderThanMs?: number; batch?: number };

/** Forget Idempotency-Keys after a day (in bounded batches, so one tick never grows with the table). */
export const sweepIdempotencyKeys = async ({ db, olderThanMs = 24 * 3600_000, batch = 5000 }: TOptions): Promise<number> => {
  const before = new Date(Date.now() - olderThanMs);
  return db.$executeRaw`
    DELETE FROM idempotency_keys WHERE ctid IN (
      SELECT ctid FROM idempotency_keys WHERE created_at < ${before} LIMIT ${batch})`;
};
