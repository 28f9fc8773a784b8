import type { TDb } from '@berth/db';

type TOptions = { db: TDb; batch?: number };

/** Delete expired sessions in bounded batches. */
export const sweepSessions = async ({ db, batch = 5000 }: TOptions): Promise<number> =>
  db.$executeRaw`DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at < now() LIMIT ${batch})`;
