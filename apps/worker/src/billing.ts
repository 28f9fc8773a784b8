import { issueInvoices, meterServers } from '@berth/core';
import type { TDb } from '@berth/db';

type TOptions = { db: TDb; tickMs: number; dueDays: number; log: (m: string) => void; now?: () => Date };

// A tick does a bounded amount of work (batches); a server fleet larger than that catches up over ticks.
const MAX_BATCHES = 50;

/**
 * The billing meter: every tick, bill the ended hours of servers (batches claimed with SKIP LOCKED, so
 * several workers share the work and never bill an hour twice), then issue the invoices of ended months.
 */
export const startBillingMeter = ({ db, tickMs, dueDays, log, now = () => new Date() }: TOptions) => {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      let metered = 0;
      for (let i = 0, n = 1; i < MAX_BATCHES && n > 0; i++) metered += n = await meterServers({ db, now: now() });
      let issued = 0;
      for (let i = 0, n = 1; i < MAX_BATCHES && n > 0; i++) issued += n = await issueInvoices({ db, now: now(), dueDays });
      if (metered || issued) log(`billing: metered ${metered} server(s), issued ${issued} invoice(s)`);
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
