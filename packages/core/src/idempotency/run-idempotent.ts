import type { TDb } from '@berth/db';
import { AppError } from '../errors/app-error.ts';

export type TStoredResponse = { status: number; body: unknown };

type TOptions = {
  db: TDb;
  /** Whose key it is (`key:<id>` or `user:<id>`): callers never share a key space. */
  owner: string;
  key: string;
  /** Hash of method, path and canonical body: the same key with another request is refused. */
  requestHash: string;
  run: () => Promise<TStoredResponse>;
};

/**
 * Run a POST at most once per Idempotency-Key. The key row is inserted first (the primary key makes
 * concurrent retries race on the insert, not on the action); a success is stored and replayed to every
 * retry. A failure stores nothing: Berth's verbs are transactional, so a failed call did not act and may
 * simply run again.
 */
export const runIdempotent = async ({ db, owner, key, requestHash, run }: TOptions): Promise<TStoredResponse & { replayed: boolean }> => {
  const inserted = await db.$executeRaw`
    INSERT INTO idempotency_keys (owner, key, request_hash, state) VALUES (${owner}, ${key}, ${requestHash}, 'pending')
    ON CONFLICT DO NOTHING`;
  if (inserted === 0) {
    const row = await db.idempotencyKey.findUnique({ where: { owner_key: { owner, key } } });
    if (!row) return runIdempotent({ db, owner, key, requestHash, run }); // the first attempt failed and let go
    if (row.requestHash !== requestHash) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used with a different request; use a new key for a new request.');
    }
    if (row.state !== 'done') {
      throw new AppError('idempotency_in_progress', 'A request with this Idempotency-Key is still running; retry in a moment.');
    }
    return { status: row.responseStatus ?? 200, body: row.responseBody, replayed: true };
  }
  let result: TStoredResponse;
  try {
    result = await run();
  } catch (err) {
    await db.idempotencyKey.delete({ where: { owner_key: { owner, key } } }).catch(() => {});
    throw err;
  }
  // The action is done: its response must be stored, so the write is retried rather than lost. If it still
  // fails the key stays pending (409 to retries until the daily sweep): refusing is safer than acting twice.
  for (let attempt = 1; ; attempt++) {
    try {
      await db.idempotencyKey.update({
        where: { owner_key: { owner, key } },
        data: { state: 'done', responseStatus: result.status, responseBody: (result.body ?? null) as object },
      });
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
  return { ...result, replayed: false };
};
