import type { TOperationProgressEvent } from '@berth/contracts';
import type { TDb } from '@berth/db';

type TOptions = { db: TDb; event: TOperationProgressEvent };

/**
 * Record agent progress; a late progress event never reopens a finished operation, and only the host the
 * operation was sent to may report on it (a host reports on its own events queue, and cannot speak for others).
 */
export const applyProgress = async ({ db, event }: TOptions): Promise<void> => {
  await db.$executeRaw`
    UPDATE operations SET status = 'running', step = ${event.step}, progress = GREATEST(progress, ${event.progress}),
      attempts = GREATEST(attempts, ${event.attempt}), started_at = COALESCE(started_at, now()), progress_at = now()
    WHERE id = ${event.operationId} AND host_id = ${event.hostId} AND status IN ('queued', 'running')`;
};
