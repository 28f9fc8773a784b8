import type { TDb } from '@berth/db';
import { JOBS, SERVER_JOB_BY_OPERATION, type THostJobs } from '@berth/jobs';
import type { TOperationType } from '@berth/contracts';
import { abandonOperation } from './abandon-operation.ts';

type TOptions = {
  db: TDb;
  jobs: THostJobs;
  now: Date;
  /** A host silent this long no longer runs what was sent to it (OPERATION_STUCK_AFTER_MS). */
  stuckAfterMs: number;
  /** Slack beyond a job's own timeout (queue wait between attempts, backoff, clock skew). */
  marginMs?: number;
  limit?: number;
};

type TRow = {
  id: string; type: TOperationType; status: 'queued' | 'running'; host_id: string; host_name: string;
  last_heartbeat_at: Date | null; host_created_at: Date; dispatched_at: Date; last_move: Date;
};

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

/**
 * Operations sent to a host that nobody will ever report on:
 * - its host has been silent for `stuckAfterMs` (and the operation waited as long): its job is taken off the queue (unless a live agent holds
 *   it) and the operation failed, "host X offline since ...; the operation was not confirmed";
 * - its host is alive but nothing moved for longer than the job's timeout + margin, and its job is no
 *   longer on the queue: one never started is sent again (the job was lost), one that ran is failed (its
 *   report was lost). A job still waiting (a busy host) or held by an agent (which times it out itself)
 *   is left alone.
 * Work is proportional to in-flight operations (a partial index). Returns what it did.
 */
export const recoverStuckOperations = async ({ db, jobs, now, stuckAfterMs, marginMs = 120_000, limit = 200 }: TOptions) => {
  const rows = await db.$queryRaw<TRow[]>`
    SELECT o.id, o.type, o.status, o.host_id, h.name AS host_name, h.last_heartbeat_at, h.created_at AS host_created_at, o.dispatched_at,
           GREATEST(o.dispatched_at, o.started_at, o.progress_at) AS last_move
    FROM operations o JOIN hosts h ON h.id = o.host_id
    WHERE o.status IN ('queued', 'running') AND o.dispatched_at IS NOT NULL
    ORDER BY o.dispatched_at LIMIT ${limit}`;
  const failed: string[] = [];
  const resent: string[] = [];
  for (const op of rows) {
    const seen = op.last_heartbeat_at ?? op.host_created_at;
    // Both silent and waited that long: an operation queued for a long-dead host still gets its full wait.
    if (now.getTime() - Math.max(seen.getTime(), op.dispatched_at.getTime()) > stuckAfterMs) {
      // A live agent holding the job means the host is not gone after all (e.g. only its heartbeats were lost).
      if ((await jobs.remove(op.host_id, op.id)) === 'locked') continue;
      const since = op.last_heartbeat_at ? `offline since ${op.last_heartbeat_at.toISOString()}` : 'has never reported';
      if (await abandonOperation({ db, operationId: op.id, error: `host ${op.host_name} ${since}; the operation was not confirmed` })) failed.push(op.id);
      continue;
    }
    const silentMs = now.getTime() - op.last_move.getTime();
    if (silentMs <= JOBS[SERVER_JOB_BY_OPERATION[op.type]].timeoutMs + marginMs) continue;
    const state = await jobs.state(op.host_id, op.id);
    if (state === 'waiting' || state === 'delayed' || state === 'active') continue;
    if (state === 'absent' && op.status === 'queued') {
      // Never started and gone from the queue (Redis lost it): the outbox sends it again, same jobId.
      const n = await db.operation.updateMany({ where: { id: op.id, status: 'queued' }, data: { dispatchedAt: null } });
      if (n.count) resent.push(op.id);
      continue;
    }
    const error = `no report from host ${op.host_name}'s agent for ${minutes(silentMs)} (its job is ${state}); the operation was not confirmed`;
    if (await abandonOperation({ db, operationId: op.id, error })) failed.push(op.id);
  }
  return { failed, resent };
};
