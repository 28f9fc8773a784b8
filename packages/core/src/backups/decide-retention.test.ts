import { describe, expect, it } from 'vitest';
import { decideRetention, type TRetained } from './decide-retention.ts';

const b = (id: string, iso: string, parentId: string | null = null): TRetained => ({ id, parentId, createdAt: new Date(iso) });
const sorted = (ids: string[]) => [...ids].sort();
/** The ids retention keeps (everything it does not drop). */
const kept = (all: TRetained[], drop: string[]) => sorted(all.map((x) => x.id).filter((id) => !drop.includes(id)));

/** One full a day at 03:00 UTC for `n` days from `start` (d0, d1, ...). */
const daily = (start: string, n: number) => Array.from({ length: n }, (_, i) => {
  const d = new Date(`${start}T03:00:00Z`);
  d.setUTCDate(d.getUTCDate() + i);
  return b(`d${i}`, d.toISOString());
});

describe('decideRetention', () => {
  it('drops nothing from nothing', () => {
    expect(decideRetention([], { keepDaily: 7, keepWeekly: 4 })).toEqual([]);
    expect(decideRetention([], { keepDaily: 0, keepWeekly: 0 }, ['bkp_x'])).toEqual([]);
  });

  it('keeps the newest of each of the last keepDaily days and drops the rest', () => {
    const all = daily('2024-05-01', 10);
    const drop = decideRetention(all, { keepDaily: 3, keepWeekly: 0 });
    expect(sorted(drop)).toEqual(sorted(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6']));
    expect(kept(all, drop)).toEqual(['d7', 'd8', 'd9']);
  });

  it('keeps one per day: an older backup of the same UTC day goes', () => {
    const all = [
      b('morning', '2024-05-10T00:00:00Z'), b('evening', '2024-05-10T23:59:59Z'),
      b('yesterday', '2024-05-09T12:00:00Z'), b('older', '2024-05-08T12:00:00Z'),
    ];
    expect(sorted(decideRetention(all, { keepDaily: 2, keepWeekly: 0 }))).toEqual(['morning', 'older']);
  });

  it('counts days that have a backup, not calendar days (a gap does not shorten what is kept)', () => {
    const all = [b('a', '2024-05-01T03:00:00Z'), b('b', '2024-05-05T03:00:00Z'), b('c', '2024-05-20T03:00:00Z'), b('d', '2024-04-01T03:00:00Z')];
    expect(decideRetention(all, { keepDaily: 3, keepWeekly: 0 })).toEqual(['d']);
  });

  it('keeps nothing of its own with keepDaily and keepWeekly at 0', () => {
    const all = daily('2024-05-01', 3);
    expect(sorted(decideRetention(all, { keepDaily: 0, keepWeekly: 0 }))).toEqual(['d0', 'd1', 'd2']);
  });

  describe('ISO weeks', () => {
    it('splits Sunday from the Monday after it, even a minute apart', () => {
      const all = [b('sun', '2024-06-09T23:59:00Z'), b('mon', '2024-06-10T00:00:00Z'), b('sat', '2024-06-08T12:00:00Z')];
      // 2 weeks: Monday's (2024-W24) and the newest of 2024-W23 (Sunday, not Saturday).
      expect(decideRetention(all, { keepDaily: 0, keepWeekly: 2 })).toEqual(['sat']);
    });

    it('puts 30-31 Dec 2024 in 2025-W01 with 1 Jan, and 29 Dec in 2024-W52', () => {
      const all = [
        b('sun29', '2024-12-29T03:00:00Z'), b('mon30', '2024-12-30T03:00:00Z'),
        b('tue31', '2024-12-31T03:00:00Z'), b('wed01', '2025-01-01T03:00:00Z'),
      ];
      // A calendar-year week would keep tue31 as a week of its own.
      expect(sorted(decideRetention(all, { keepDaily: 0, keepWeekly: 2 }))).toEqual(['mon30', 'tue31']);
    });

    it('puts 1-3 Jan 2021 in 2020-W53 with the last days of 2020', () => {
      const all = [
        b('mon28', '2020-12-28T03:00:00Z'), b('thu31', '2020-12-31T03:00:00Z'),
        b('sun03', '2021-01-03T03:00:00Z'), b('mon04', '2021-01-04T03:00:00Z'),
      ];
      expect(sorted(decideRetention(all, { keepDaily: 0, keepWeekly: 2 }))).toEqual(['mon28', 'thu31']);
    });

    it('puts 29 Dec 2025 in 2026-W01 (a year whose 1 Jan is a Thursday)', () => {
      const all = [b('sun28', '2025-12-28T03:00:00Z'), b('mon29', '2025-12-29T03:00:00Z'), b('thu01', '2026-01-01T03:00:00Z')];
      expect(decideRetention(all, { keepDaily: 0, keepWeekly: 2 })).toEqual(['mon29']);
    });

    it('keeps the union of the daily and the weekly picks', () => {
      // 21 days from Monday 2024-06-03: three whole ISO weeks (W23, W24, W25), d20 is Sunday of W25.
      const all = daily('2024-06-03', 21);
      const drop = decideRetention(all, { keepDaily: 2, keepWeekly: 3 });
      // Daily: d20, d19. Weekly: the Sundays d20, d13, d6.
      expect(kept(all, drop)).toEqual(sorted(['d20', 'd19', 'd13', 'd6']));
    });
  });

  describe('chains of incrementals', () => {
    it('keeps every backup a kept incremental builds on, back to its full, even far outside the window', () => {
      const all = [
        b('oldFull', '2024-04-01T03:00:00Z'),
        b('full', '2024-05-01T03:00:00Z'),
        b('i1', '2024-05-02T03:00:00Z', 'full'),
        b('i2', '2024-05-03T03:00:00Z', 'i1'),
        b('i3', '2024-05-04T03:00:00Z', 'i2'),
      ];
      expect(decideRetention(all, { keepDaily: 1, keepWeekly: 0 })).toEqual(['oldFull']);
    });

    it('drops a whole older chain once a newer full starts the kept one', () => {
      const all = [
        b('f1', '2024-05-01T03:00:00Z'), b('f1i1', '2024-05-02T03:00:00Z', 'f1'), b('f1i2', '2024-05-03T03:00:00Z', 'f1i1'),
        b('f2', '2024-05-04T03:00:00Z'), b('f2i1', '2024-05-05T03:00:00Z', 'f2'),
      ];
      expect(sorted(decideRetention(all, { keepDaily: 2, keepWeekly: 0 }))).toEqual(['f1', 'f1i1', 'f1i2']);
    });

    it('keeps the chain of a weekly pick as well as of a daily one', () => {
      const all = [
        b('wf', '2024-05-06T03:00:00Z'), b('wi', '2024-05-12T03:00:00Z', 'wf'), // 2024-W19, Sunday is the weekly pick
        b('dropme', '2024-05-07T03:00:00Z', 'wf'),
        b('df', '2024-05-13T03:00:00Z'), b('di', '2024-05-14T03:00:00Z', 'df'), // 2024-W20
      ];
      expect(decideRetention(all, { keepDaily: 1, keepWeekly: 2 })).toEqual(['dropme']);
    });

    it('does not trip over a parent that is not among the candidates (e.g. a manual backup)', () => {
      const all = [b('i1', '2024-05-02T03:00:00Z', 'bkp_manual'), b('old', '2024-04-02T03:00:00Z')];
      const drop = decideRetention(all, { keepDaily: 1, keepWeekly: 0 });
      expect(drop).toEqual(['old']);
      expect(drop).not.toContain('bkp_manual');
    });

    it('survives a parent cycle in bad data without looping forever', () => {
      const all = [b('a', '2024-05-02T03:00:00Z', 'b'), b('b', '2024-05-01T03:00:00Z', 'a'), b('c', '2024-04-01T03:00:00Z')];
      expect(decideRetention(all, { keepDaily: 1, keepWeekly: 0 })).toEqual(['c']);
    });
  });

  describe('pinned', () => {
    it('keeps a pinned backup and everything it builds on, though retention would drop it', () => {
      const all = [
        b('f', '2024-05-01T03:00:00Z'), b('i1', '2024-05-02T03:00:00Z', 'f'), b('i2', '2024-05-03T03:00:00Z', 'i1'),
        b('new', '2024-05-10T03:00:00Z'),
      ];
      // i1 is the parent of a backup outside the candidates (a manual incremental, or one in progress).
      expect(decideRetention(all, { keepDaily: 1, keepWeekly: 0 }, ['i1'])).toEqual(['i2']);
      expect(decideRetention(all, { keepDaily: 1, keepWeekly: 0 }, new Set(['i2']))).toEqual([]);
    });

    it('keeps a pinned backup even with keepDaily and keepWeekly at 0', () => {
      const all = daily('2024-05-01', 3);
      expect(sorted(decideRetention(all, { keepDaily: 0, keepWeekly: 0 }, ['d1']))).toEqual(['d0', 'd2']);
    });
  });

  it('does not depend on input order, and breaks a same-instant tie the same way every time', () => {
    const all = [b('x1', '2024-05-01T03:00:00Z'), b('x2', '2024-05-01T03:00:00Z'), b('x0', '2024-04-30T03:00:00Z')];
    const a = decideRetention(all, { keepDaily: 1, keepWeekly: 0 });
    const r = decideRetention([...all].reverse(), { keepDaily: 1, keepWeekly: 0 });
    expect(sorted(a)).toEqual(sorted(r));
    expect(a).toHaveLength(2);
    expect(a).toContain('x0');
  });

  it('on random histories: never breaks a kept chain, keeps a newest of each day it must, and is stable', () => {
    let seed = 42;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (let round = 0; round < 200; round++) {
      const all: TRetained[] = [];
      let t = Date.UTC(2024, 11, 1);
      for (let i = 0, n = 1 + Math.floor(rand() * 40); i < n; i++) {
        t += Math.floor(rand() * 2 * 86_400_000);
        const prev = all.at(-1);
        all.push({ id: `b${String(i).padStart(2, '0')}`, createdAt: new Date(t), parentId: prev && rand() < 0.7 ? prev.id : null });
      }
      const policy = { keepDaily: Math.floor(rand() * 8), keepWeekly: Math.floor(rand() * 5) };
      const drop = new Set(decideRetention(all, policy));
      const keep = all.filter((x) => !drop.has(x.id));
      for (const x of keep) if (x.parentId) expect(drop.has(x.parentId), `${x.id} lost its parent`).toBe(false);
      // The newest backup overall is kept whenever anything is to be kept.
      if (policy.keepDaily + policy.keepWeekly > 0) expect(keep.map((x) => x.id)).toContain(all.at(-1)!.id);
      // Days kept: at least min(keepDaily, distinct days).
      const days = new Set(all.map((x) => x.createdAt.toISOString().slice(0, 10)));
      const keptDays = new Set(keep.map((x) => x.createdAt.toISOString().slice(0, 10)));
      expect(keptDays.size).toBeGreaterThanOrEqual(Math.min(policy.keepDaily, days.size));
      // Applying retention again to what it kept drops nothing more.
      expect(decideRetention(keep, policy)).toEqual([]);
    }
  });
});
