import { issueInvoices, meterServers, runDunning } from '@berth/core';
import type { TDb } from '@berth/db';

type TOptions = {
  db: TDb; tickMs: number; dueDays: number; suspendAfterDays: number; terminateAfterDays: number;
  log: (m: string) => void; now?: () => Date;
};

// A tick does a bounded amount of work (batches); a server fleet larger than that catches up over ticks.
const MAX_BATCHES = 50;

/**
 * The billing meter: every tick, bill the ended hours of servers (batches claimed with SKIP LOCKED, so
 * several workers share the work and never bill an hour twice), issue the invoices of ended months, and
 * act on overdue ones (reminders, suspension, optional termination; payment brings servers back).
 */
export const startBillingMeter = ({ db, tickMs, dueDays, suspendAfterDays, terminateAfterDays, log, now = () => new Date() }: TOptions) => {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      let metered = 0;
      for (let i = 0, n = 1; i < MAX_BATCHES && n > 0; i++) metered += n = await meterServers({ db, now: now() });
      let issued = 0;
      for (let i = 0, n = 1; i < MAX_BATCHES && n > 0; i++) issued += n = await issueInvoices({ db, now: now(), dueDays });
      const d = await runDunning({ db, now: now(), suspendAfterDays, terminateAfterDays });
      if (metered || issued) log(`billing: metered ${metered} server(s), issued ${issued} invoice(s)`);
      if (Object.values(d).some(Boolean)) log(`dunning: ${JSON.stringify(d)}`);
    } catch (err) {
      log(`billing tick failed: ${String(err)}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), tickMs);
  void tick();
  return { close: () => clearInterval(timer), tick };
};
