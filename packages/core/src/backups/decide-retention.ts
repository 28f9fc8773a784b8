export type TRetained = { id: string; parentId: string | null; createdAt: Date };
export type TRetention = { keepDaily: number; keepWeekly: number };

const day = (d: Date) => d.toISOString().slice(0, 10);
/** ISO week key (YYYY-Www) of a UTC date. */
const isoWeek = (d: Date) => {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  t.setUTCDate(t.getUTCDate() + 3 - ((t.getUTCDay() + 6) % 7)); // the week's Thursday names its year
  const week1 = new Date(Date.UTC(t.getUTCFullYear(), 0, 4));
  const n = 1 + Math.round(((t.getTime() - week1.getTime()) / 86_400_000 - 3 + ((week1.getUTCDay() + 6) % 7)) / 7);
  return `${t.getUTCFullYear()}-W${String(n).padStart(2, '0')}`;
};

/** Newest backup of each of the newest `n` distinct periods. */
const newestPer = (sorted: TRetained[], key: (d: Date) => string, n: number) => {
  const kept = new Map<string, string>();
  for (const b of sorted) {
    const k = key(b.createdAt);
    if (!kept.has(k)) {
      if (kept.size >= n) break;
      kept.set(k, b.id);
    }
  }
  return [...kept.values()];
};

/**
 * Which of a server's scheduled backups retention deletes: it keeps the newest of each of the last keepDaily
 * days that have one and of the last keepWeekly ISO weeks, plus every backup a kept one builds on (an
 * incremental is useless without its chain) and every one `pinned` (e.g. the parent of a backup in progress).
 */
export const decideRetention = (backups: TRetained[], policy: TRetention, pinned: Iterable<string> = []): string[] => {
  const sorted = [...backups].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  const keep = new Set([...newestPer(sorted, day, policy.keepDaily), ...newestPer(sorted, isoWeek, policy.keepWeekly), ...pinned]);
  const byId = new Map(sorted.map((b) => [b.id, b]));
  for (const id of [...keep]) {
    for (let p = byId.get(id)?.parentId; p && !keep.has(p); p = byId.get(p)?.parentId) keep.add(p);
  }
  return sorted.filter((b) => !keep.has(b.id)).map((b) => b.id);
};
