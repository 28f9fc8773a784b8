import type { TServerJob } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { SERVER_JOB_BY_OPERATION, type TJobName } from '@berth/jobs';
import { buildServerJob } from './build-server-job.ts';

/** Puts one job on host-<hostId>; must be idempotent per jobId (BullMQ ignores a duplicate jobId). */
export type TPublish = (hostId: string, name: TJobName, payload: TServerJob, jobId: string) => Promise<void>;

type TOptions = { db: TDb; publish: TPublish; limit: number; hostId?: string };

/**
 * Send queued, undispatched operations to their host queues, oldest first, and mark them dispatched.
 * Safe to run concurrently and repeatedly: the jobId is the operation id, so a double send is one job.
 * Returns how many were sent; a publish failure (Redis down) leaves the rest for the next round.
 */
export const dispatchOutbox = async ({ db, publish, limit, hostId }: TOptions): Promise<number> => {
  const ops = await db.operation.findMany({
    where: { status: 'queued', dispatchedAt: null, ...(hostId ? { hostId } : {}) },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: { id: true, type: true, hostId: true },
  });
  let sent = 0;
  for (const op of ops) {
    const job = await buildServerJob({ db, operationId: op.id });
    if (!job) {
      await db.operation.update({
        where: { id: op.id },
        data: { status: 'failed', error: 'operation has no server spec (missing IP or uid range)', finishedAt: new Date() },
      });
      continue;
    }
    await publish(op.hostId, SERVER_JOB_BY_OPERATION[op.type], job, op.id);
    await db.operation.updateMany({ where: { id: op.id, dispatchedAt: null }, data: { dispatchedAt: new Date() } });
    sent++;
  }
  return sent;
};
