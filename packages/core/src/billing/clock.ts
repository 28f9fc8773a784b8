// UTC calendar helpers for billing: hours and months are always UTC, whatever the host's time zone.
export const HOUR_MS = 3_600_000;

export const hourStart = (d: Date): Date => new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);

export const monthStart = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));

export const nextMonth = (month: Date): Date => new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));

/** The hourly price of a plan: its own, or the monthly price spread over 672 hours (28 days), rounded up. */
export const hourlyCents = (plan: { priceCentsHourly: number | null; priceCentsMonthly: number }): number =>
  plan.priceCentsHourly ?? Math.ceil(plan.priceCentsMonthly / 672);
