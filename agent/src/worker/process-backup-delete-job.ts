import { UnrecoverableError } from 'bullmq';
import type { TBackupDeleteJob } from '@berth/contracts';
import { JOBS, parseJob } from '@berth/jobs';
import { openBackupStore } from '../backups/store.ts';
import type { TJobContext, TJobLike } from './process-job.ts';
import { JobTimeoutError, withTimeout } from './with-timeout.ts';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 4000);

/**
 * backup.delete@1: remove a backup's objects from its target (retention, expiry after its server was
 * deleted, a customer's delete). Touches no VPS, so it takes no server lock. Deleting what is already gone
 * succeeds; the outcome goes back as backup.deleted@1, a failure only when final.
 */
export const processBackupDeleteJob = async (ctx: TJobContext, job: TJobLike): Promise<'absent'> => {
  const attempt = job.attemptsMade + 1;
  const data = parseJob(job.name, job.data).data as TBackupDeleteJob;
  const report = (outcome: 'succeeded' | 'failed', error: string | null) =>
    ctx.reporter.backupDeleted({ backupId: data.backupId, hostId: ctx.hostId, outcome, error });
  try {
    const store = openBackupStore(data.target);
    await withTimeout(store.deletePrefix(`${data.serverId}/${data.backupId}/`), JOBS['backup.delete@1'].timeoutMs, `backup.delete@1 ${data.backupId}`);
    await report('succeeded', null);
    return 'absent';
  } catch (e) {
    const err = e instanceof JobTimeoutError ? new UnrecoverableError(e.message) : e;
    if (err instanceof UnrecoverableError || attempt >= (job.opts.attempts ?? 1)) await report('failed', message(err));
    throw err;
  }
};
