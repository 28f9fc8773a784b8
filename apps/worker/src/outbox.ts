import postgres from 'postgres';
import { dispatchOutbox, type TPublish } from '@berth/core';
import type { THostJobs } from '@berth/jobs';
import type { TDb } from '@berth/db';

/** `signingKey`: signs migrations' transfer tokens; `jobs`: takes back the job of an operation cancelled while being sent. */
type TOptions = {
  db: TDb; databaseUrl: string; publish: TPublish; sweepMs: number; batch: number; signingKey?: string; jobs?: Pick<THostJobs, 'remove'>; log: (m: string) => void;
};

/**
 * Send outbox operations to host queues as soon as Postgres NOTIFYs an insert, with a periodic sweep as
 * the safety net (a missed notification, or Redis having been down). Rounds never overlap.
 */
export const startOutboxDispatcher = async ({ db, databaseUrl, publish, sweepMs, batch, signingKey, jobs, log }: TOptions) => {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  let running = false;
  let again = false;
  let stopped = false;
  const round = async (): Promise<void> => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const sent = await dispatchOutbox({ db, publish, limit: batch, signingKey, jobs });
        if (sent > 0) log(`dispatched ${sent} operation(s)`);
        if (sent === batch) again = true; // more waiting
      } while (again && !stopped);
    } catch (err) {
      log(`outbox round failed, will retry: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  await sql.listen('berth_outbox', () => void round());
  const timer = setInterval(() => void round(), sweepMs);
  void round(); // not awaited: with Redis down the first round waits for it, and start-up must not
  return {
    close: async () => {
      stopped = true;
      clearInterval(timer);
      await sql.end({ timeout: 5 });
    },
  };
};
