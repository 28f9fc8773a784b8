import { issueInvoices, meterServers, runDunning, suspendExhaustedPrepaid, syncThrottles } from '@berth/core';
import type { TDb } from '@berth/db';

type TOptions = {
  db: TDb; tickMs: number; dueDays: number; suspendAfterDays: number; terminateAfterDays: number; seller: { name: string; lines: string[] };
  log: (m: string) => void; now?: () => Date;
};

// A tick does a bounded amount of work (batches); a server fleet larger than that catches up over ticks.
const MAX_BATCHES = 50;

/**
 * The billing meter: every tick, bill the ended hours of servers (batches claimed with SKIP LOCKED, so
 * several workers share the work and never bill an hour twice), issue the invoices of ended months, and
 * act on overdue ones (reminders, suspension, optional termination; payment brings servers back).
 */
export const startBillingMeter = ({ db, tickMs, dueDays, suspendAfterDays, terminateAfterDays, seller, log, now = () => new Date() }: TOptions) => {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    // Each stage on its own: a failing invoice must not stop metering or dunning, nor the reverse.
    const stage = async (name: string, run: () => Promise<void>) => {
      try {
        await run();
      } catch (err) {
        log(`billing ${name} failed: ${String(err)}`);
      }
    };
    try {
      await stage('meter', async () => {
        let metered = 0;
        const charged = new Set<string>();
        const onCharged = (ids: string[]) => ids.forEach((id) => charged.add(id));
        for (let i = 0, n = 1; i < MAX_BATCHES && n > 0; i++) metered += n = await meterServers({ db, now: now(), onCharged });
        if (metered) log(`billing: metered ${metered} server(s)`);
        // Prepaid accounts the new charges took below zero are suspended (dunning stops their servers).
        const exhausted = await suspendExhaustedPrepaid({ db, now: now(), tenantIds: [...charged] });
        if (exhausted) log(`billing: ${exhausted} prepaid account(s) out of credit suspended`);
      });
      await stage('invoices', async () => {
        let issued = 0;
        const onError = (tenantId: string, err: unknown) => log(`invoice for ${tenantId} failed: ${String(err)}`);
        for (let i = 0, n = 1; i < MAX_BATCHES && n > 0; i++) issued += n = await issueInvoices({ db, now: now(), dueDays, onError, seller });
        if (issued) log(`billing: issued ${issued} invoice(s)`);
      });
      await stage('throttles', async () => {
        const t = await syncThrottles({ db, now: now() });
        if (t.capped || t.released) log(`transfer caps: ${t.capped} sent, ${t.released} lifted`);
      });
      await stage('dunning', async () => {
        const d = await runDunning({ db, now: now(), suspendAfterDays, terminateAfterDays });
        if (Object.values(d).some(Boolean)) log(`dunning: ${JSON.stringify(d)}`);
      });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), tickMs);
  void tick();
  return { close: () => clearInterval(timer), tick };
};
