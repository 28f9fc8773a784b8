import type { TServerJob } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { SERVER_JOB_BY_OPERATION, type THostJobs, type TJobName } from '@berth/jobs';
import { JobBuildError } from '../migration/migration-target.ts';
import { applyFinished } from './apply-finished.ts';
import { buildServerJob } from './build-server-job.ts';

/** Puts one job on host-<hostId>; must be idempotent per jobId (BullMQ ignores a duplicate jobId). */
export type TPublish = (hostId: string, name: TJobName, payload: TServerJob, jobId: string) => Promise<void>;

// A create too: one from a backup deleted meanwhile must not sit in provisioning (it goes to error, deletable).
const SETTLED_THROUGH_FINISH = new Set(['create', 'migrate', 'snapshot', 'snapshot_delete', 'snapshot_restore', 'backup', 'restore', 'rescue', 'backup_verify', 'unrescue']);

/** `signingKey` signs migrations' transfer tokens; `jobs` takes back a job whose operation was cancelled meanwhile. */
type TOptions = { db: TDb; publish: TPublish; limit: number; hostId?: string; signingKey?: string; jobs?: Pick<THostJobs, 'remove'> };

/**
 * Send queued, undispatched operations to their host queues, oldest first, and mark them dispatched.
 * Safe to run concurrently and repeatedly: the jobId is the operation id, so a double send is one job.
 * Returns how many were sent; a publish failure (Redis down) leaves the rest for the next round.
 */
export const dispatchOutbox = async ({ db, publish, limit, hostId, signingKey, jobs }: TOptions): Promise<number> => {
  const ops = await db.operation.findMany({
    where: { status: 'queued', dispatchedAt: null, ...(hostId ? { hostId } : {}) },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: { id: true, type: true, hostId: true, serverId: true },
  });
  let sent = 0;
  for (const op of ops) {
    const built = await buildServerJob({ db, operationId: op.id, signingKey }).catch((e: unknown) => {
      if (e instanceof JobBuildError) return e;
      throw e;
    });
    if (!built || built instanceof JobBuildError) {
      const error = built?.message ?? 'operation has no server spec (missing IP or uid range)';
      if (SETTLED_THROUGH_FINISH.has(op.type) && op.serverId) {
        // Through the agent's path, so what was reserved (a migration's target, a snapshot or backup row) is settled.
        await applyFinished({ db, event: { operationId: op.id, serverId: op.serverId, hostId: op.hostId, outcome: 'failed', state: null, error, attempt: 1 } });
      } else {
        await db.operation.update({ where: { id: op.id }, data: { status: 'failed', error, finishedAt: new Date() } });
      }
      continue;
    }
    const job = built;
    await publish(op.hostId, SERVER_JOB_BY_OPERATION[op.type], job, op.id);
    const marked = await db.$queryRaw<{ abandoned_at: Date | null }[]>`
      UPDATE operations SET dispatched_at = now() WHERE id = ${op.id} AND dispatched_at IS NULL RETURNING abandoned_at`;
    // An admin cancelled it between our read and the send: take the job back before an agent runs it.
    if (marked[0]?.abandoned_at && jobs) await jobs.remove(op.hostId, op.id);
    sent++;
  }
  return sent;
};
