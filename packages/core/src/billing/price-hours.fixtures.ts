// Shared by the priceHours unit tests: instants are built with Date.UTC or an ISO string ending in Z;
// the real clock is never read.
import { priceHours, type TPlanPrice, type TPricedHour } from './price-hours.ts';

export type TOpts = Parameters<typeof priceHours>[0];

export const HOUR = 3_600_000;
export const U = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
export const Z = (iso: string) => {
  if (!iso.endsWith('Z')) throw new Error(`test input must be UTC: ${iso}`);
  return new Date(iso);
};
export const BIG_CAP = 1_000_000_000;

/** One server on plan 'p' (10 cents an hour, cap out of reach), billed from its creation. */
export const opts = (over: Partial<TOpts> & Pick<TOpts, 'createdAt' | 'now'>): TOpts => ({
  deletedAt: null,
  billedThrough: over.createdAt,
  planChanges: [{ planId: 'p', at: over.createdAt }],
  prices: new Map<string, TPlanPrice>([['p', { hourlyCents: 10, capCents: BIG_CAP }]]),
  chargedByMonth: new Map(),
  ...over,
});
export const onePlan = (hourly: number, cap: number) => new Map<string, TPlanPrice>([['p', { hourlyCents: hourly, capCents: cap }]]);

export const plain = (hours: TPricedHour[]) =>
  hours.map((h) => ({ start: h.start.toISOString(), month: h.month.toISOString(), planId: h.planId, cents: h.cents }));
export const starts = (hours: TPricedHour[]) => hours.map((h) => h.start.toISOString());
export const cents = (hours: TPricedHour[]) => hours.map((h) => h.cents);
export const total = (hours: TPricedHour[]) => hours.reduce((s, h) => s + h.cents, 0);
export const addCharges = (charged: Map<string, number>, hours: TPricedHour[]) => {
  for (const h of hours) charged.set(h.month.toISOString(), (charged.get(h.month.toISOString()) ?? 0) + h.cents);
  return charged;
};

/** What the metering job does: call once per `now`, persisting the watermark and the month totals in between. */
export const runCalls = (base: TOpts, nows: Date[], maxHours?: number) => {
  let billedThrough = base.billedThrough;
  const charged = new Map(base.chargedByMonth);
  const hours: TPricedHour[] = [];
  const perCall: number[] = [];
  for (const now of nows) {
    const r = priceHours({ ...base, billedThrough, now, chargedByMonth: new Map(charged), ...(maxHours === undefined ? {} : { maxHours }) });
    hours.push(...r.hours);
    perCall.push(r.hours.length);
    addCharges(charged, r.hours);
    billedThrough = r.billedThrough;
  }
  return { hours, billedThrough, perCall, charged };
};

export const withTZ = <T>(tz: string, fn: () => T): T => {
  const saved = process.env.TZ;
  process.env.TZ = tz;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
};
