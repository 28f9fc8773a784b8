import { UnrecoverableError } from 'bullmq';
import type { TPurgeQuarantineJob, TQuarantineJob, TServerState } from '@berth/contracts';
import { JOBS, parseJob } from '@berth/jobs';
import type { TJobContext, TJobLike } from './process-job.ts';
import { JobTimeoutError, withTimeout } from './with-timeout.ts';

/** Reconciliation's jobs on the host queue: they name a quarantine row, not an operation. */
export const RECONCILE_JOBS = new Set(['server.quarantine@1', 'quarantine.purge@1']);

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 4000);

/**
 * server.quarantine@1 (set an orphan aside) and quarantine.purge@1 (delete it after its grace period),
 * under the server's lock like any job on it, bounded by the catalog timeout; the outcome goes back as
 * quarantine.finished@1, a failure only when final. Resolves 'absent': the container is gone from the host.
 */
export const processReconcileJob = async (ctx: TJobContext, job: TJobLike): Promise<TServerState> => {
  const attempt = job.attemptsMade + 1;
  const isFinal = (e: unknown) => e instanceof UnrecoverableError || attempt >= (job.opts.attempts ?? 1);
  const data = parseJob(job.name, job.data).data as TQuarantineJob | TPurgeQuarantineJob;
  const action = job.name === 'server.quarantine@1' ? 'quarantine' as const : 'purge' as const;
  const location = 'stamp' in data ? `${data.serverId}-${data.stamp}` : data.location;
  const report = (outcome: 'succeeded' | 'failed', moved: ('container' | 'image')[], error: string | null) =>
    ctx.reporter.quarantineFinished({
      quarantineId: data.quarantineId, serverId: data.serverId, hostId: ctx.hostId, action, outcome,
      location: moved.length || action === 'purge' ? location : null, moved, error,
    });
  return ctx.lock.run(data.serverId, async () => {
    try {
      const work = action === 'quarantine' ? ctx.driver.quarantine(data.serverId, location)
        : ctx.driver.purgeQuarantine(location).then(() => ({ moved: [] }));
      const { moved } = await withTimeout(work, JOBS[job.name as keyof typeof JOBS].timeoutMs, `${job.name} ${data.quarantineId}`);
      console.log(`${action} ${data.serverId}: ${action === 'purge' ? `deleted quarantine/${location}` : moved.length ? `${moved.join(' and ')} moved to quarantine/${location}` : 'nothing left to move'}`);
      await report('succeeded', moved, null);
      return 'absent' as const;
    } catch (e) {
      const err = e instanceof JobTimeoutError ? new UnrecoverableError(e.message) : e;
      if (isFinal(err)) await report('failed', [], message(err));
      throw err;
    }
  });
};
