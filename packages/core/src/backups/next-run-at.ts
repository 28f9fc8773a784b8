/** The next instant at hourUtc:00 UTC strictly after `after`. */
export const nextRunAt = (hourUtc: number, after: Date): Date => {
  const d = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), hourUtc));
  if (d <= after) d.setUTCDate(d.getUTCDate() + 1);
  return d;
};
