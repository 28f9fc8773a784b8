import { dispatchQuarantines, recoverStuckOperations, schedulePurges, type TPublishJob } from '@berth/core';
import type { TDb } from '@berth/db';
import type { THostJobs } from '@berth/jobs';

type TOptions = {
  db: TDb;
  publish: TPublishJob;
  jobs: THostJobs;
  /** How often decided quarantines and purges are sent (ms). */
  dispatchMs: number;
  /** How often stuck operations and due purges are looked for (ms). */
  sweepMs: number;
  stuckAfterMs: number;
  log: (m: string) => void;
};

/**
 * Reconciliation's periodic side: sends the quarantines convergeHost decided (and due purges) to agents, and
 * fails or re-sends operations nobody will report on. Rounds never overlap; a failed round is retried next time.
 */
export const startReconciler = ({ db, publish, jobs, dispatchMs, sweepMs, stuckAfterMs, log }: TOptions) => {
  let busy = false;
  const guarded = (name: string, fn: () => Promise<void>) => async () => {
    if (busy) return;
    busy = true;
    try {
      await fn();
    } catch (e) {
      log(`${name} failed, will retry: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      busy = false;
    }
  };
  const send = async () => {
    const n = await dispatchQuarantines({ db, publish });
    if (n) log(`sent ${n} quarantine/purge job(s)`);
  };
  const dispatch = guarded('quarantine dispatch', send);
  const sweep = guarded('reconcile sweep', async () => {
    const due = await schedulePurges({ db, now: new Date() });
    if (due.length) log(`quarantined copies due for purge: ${due.join(', ')}`);
    const { failed, resent } = await recoverStuckOperations({ db, jobs, now: new Date(), stuckAfterMs });
    if (failed.length) log(`failed stuck operation(s), not confirmed by their host: ${failed.join(', ')}`);
    if (resent.length) log(`re-sent operation(s) whose job was lost: ${resent.join(', ')}`);
    await send();
  });
  const t1 = setInterval(() => void dispatch(), dispatchMs);
  const t2 = setInterval(() => void sweep(), sweepMs);
  return {
    close: () => {
      clearInterval(t1);
      clearInterval(t2);
    },
  };
};
