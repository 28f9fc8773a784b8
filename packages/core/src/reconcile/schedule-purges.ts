import type { TDb } from '@berth/db';

type TOptions = { db: TDb; now: Date; limit?: number };

/** Quarantined copies whose grace period is over become due for deletion (dispatchQuarantines sends them). */
export const schedulePurges = async ({ db, now, limit = 100 }: TOptions): Promise<string[]> => {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE quarantined_containers SET status = 'purging', dispatched_at = NULL, updated_at = now()
    WHERE id IN (SELECT id FROM quarantined_containers WHERE status = 'quarantined' AND purge_after <= ${now} ORDER BY purge_after LIMIT ${limit})
    RETURNING id`;
  return rows.map((r) => r.id);
};
