import { HOUR_MS, hourStart, monthStart } from './clock.ts';

export type TPlanPrice = { hourlyCents: number; capCents: number };
export type TPricedHour = { start: Date; month: Date; planId: string; cents: number };

type TOptions = {
  createdAt: Date;
  deletedAt: Date | null;
  /** The server's watermark: hours from hourStart(billedThrough) on are still to bill. */
  billedThrough: Date;
  /** Bill hours that have ended by now (hour starts before hourStart(now)). */
  now: Date;
  /** Plan changes of this server, oldest first (creation is the first). */
  planChanges: { planId: string; at: Date }[];
  prices: ReadonlyMap<string, TPlanPrice>;
  /** What this server has already been charged per month (key: month start ISO), all plans together. */
  chargedByMonth: ReadonlyMap<string, number>;
  /** Bound the work of one call (a server far behind catches up over several calls). */
  maxHours?: number;
};

/**
 * The charge of every not yet billed hour of one server, and the new watermark. An hour is billed when it
 * has ended and the server existed at some point in it (created before its end, not deleted before its
 * start): started hours count whole, running or stopped or suspended. Each hour costs the hourly price of
 * the plan in effect at the hour's end (so an upgrade bills its hour at the new rate), and a calendar
 * month (UTC) never costs more than that plan's monthly price: the hour that reaches the cap is charged
 * only the rest, later hours of the month nothing. Pure: the clock is an argument.
 */
export const priceHours = ({ createdAt, deletedAt, billedThrough, now, planChanges, prices, chargedByMonth, maxHours = 24 * 62 }: TOptions) => {
  const until = hourStart(now).getTime();
  const charged = new Map(chargedByMonth);
  const hours: TPricedHour[] = [];
  let h = Math.max(hourStart(billedThrough).getTime(), hourStart(createdAt).getTime());
  for (; h < until && hours.length < maxHours; h += HOUR_MS) {
    if (deletedAt && deletedAt.getTime() <= h) {
      h = until; // gone before this hour began: nothing more to bill, ever
      break;
    }
    const end = h + HOUR_MS;
    let planId: string | undefined;
    for (const c of planChanges) if (c.at.getTime() < end) planId = c.planId;
    planId ??= planChanges[0]?.planId;
    const price = planId ? prices.get(planId) : undefined;
    if (!planId || !price) throw new Error(`no plan price for the hour ${new Date(h).toISOString()}`);
    const month = monthStart(new Date(h));
    const so = charged.get(month.toISOString()) ?? 0;
    const cents = Math.max(0, Math.min(price.hourlyCents, price.capCents - so));
    charged.set(month.toISOString(), so + cents);
    hours.push({ start: new Date(h), month, planId, cents });
  }
  return { hours, billedThrough: new Date(h) };
};
