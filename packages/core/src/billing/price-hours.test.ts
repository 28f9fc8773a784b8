import { describe, expect, it } from 'vitest';
import { hourlyCents } from './clock.ts';
import { priceHours, type TPlanPrice } from './price-hours.ts';
import { HOUR, U, Z, BIG_CAP, opts, onePlan, plain, starts, cents, total, runCalls, type TOpts } from './price-hours.fixtures.ts';

// priceHours: hour boundaries, the watermark, months and the cap, plan changes.

describe('priceHours: hour boundaries', () => {
  it('a server created exactly at 10:00:00.000 bills the 10:00 hour once it has ended', () => {
    const r = priceHours(opts({ createdAt: Z('2026-06-01T10:00:00.000Z'), now: Z('2026-06-01T11:00:00.000Z') }));
    expect(plain(r.hours)).toEqual([{ start: '2026-06-01T10:00:00.000Z', month: '2026-06-01T00:00:00.000Z', planId: 'p', cents: 10 }]);
    expect(r.billedThrough.toISOString()).toBe('2026-06-01T11:00:00.000Z');
  });

  it('a server created at 10:59:59.999 still bills the whole 10:00 hour (started hours count whole)', () => {
    const r = priceHours(opts({ createdAt: Z('2026-06-01T10:59:59.999Z'), now: Z('2026-06-01T11:00:00.000Z') }));
    expect(starts(r.hours)).toEqual(['2026-06-01T10:00:00.000Z']);
    expect(cents(r.hours)).toEqual([10]); // full price, not 1 ms worth
    expect(r.billedThrough.toISOString()).toBe('2026-06-01T11:00:00.000Z');
  });

  it('a server created exactly at 11:00 does not bill the 10:00 hour, and bills 11:00 only after 12:00', () => {
    const createdAt = Z('2026-06-01T11:00:00.000Z');
    const atCreation = priceHours(opts({ createdAt, now: Z('2026-06-01T11:00:00.000Z') }));
    expect(atCreation.hours).toEqual([]);
    expect(atCreation.billedThrough.toISOString()).toBe('2026-06-01T11:00:00.000Z');
    const later = priceHours(opts({ createdAt, now: Z('2026-06-01T12:00:00.000Z') }));
    expect(starts(later.hours)).toEqual(['2026-06-01T11:00:00.000Z']);
  });

  it('now one ms before an hour start does not bill the hour still running; now exactly at the hour start does', () => {
    const createdAt = Z('2026-06-01T10:00:00.000Z');
    const before = priceHours(opts({ createdAt, now: Z('2026-06-01T11:59:59.999Z') }));
    expect(starts(before.hours)).toEqual(['2026-06-01T10:00:00.000Z']);
    expect(before.billedThrough.toISOString()).toBe('2026-06-01T11:00:00.000Z');
    const at = priceHours(opts({ createdAt, now: Z('2026-06-01T12:00:00.000Z') }));
    expect(starts(at.hours)).toEqual(['2026-06-01T10:00:00.000Z', '2026-06-01T11:00:00.000Z']);
    expect(at.billedThrough.toISOString()).toBe('2026-06-01T12:00:00.000Z');
  });

  it('bills nothing while the creation hour is still running, and keeps that hour for the next call', () => {
    const createdAt = Z('2026-06-01T10:42:00.000Z');
    const r = priceHours(opts({ createdAt, now: Z('2026-06-01T10:59:59.999Z') }));
    expect(r.hours).toEqual([]);
    expect(r.billedThrough.toISOString()).toBe('2026-06-01T10:00:00.000Z');
    const next = priceHours(opts({ createdAt, billedThrough: r.billedThrough, now: Z('2026-06-01T11:00:00.000Z') }));
    expect(starts(next.hours)).toEqual(['2026-06-01T10:00:00.000Z']);
  });

  it('lists consecutive UTC hour starts, each at the full hourly price', () => {
    const r = priceHours(opts({ createdAt: Z('2026-06-01T10:42:17.123Z'), now: Z('2026-06-01T15:05:00.000Z') }));
    expect(starts(r.hours)).toEqual([
      '2026-06-01T10:00:00.000Z',
      '2026-06-01T11:00:00.000Z',
      '2026-06-01T12:00:00.000Z',
      '2026-06-01T13:00:00.000Z',
      '2026-06-01T14:00:00.000Z',
    ]);
    expect(cents(r.hours)).toEqual([10, 10, 10, 10, 10]);
  });
});

describe('priceHours: watermark', () => {
  it('an unaligned billedThrough (10:30) starts at the 10:00 hour', () => {
    const r = priceHours(
      opts({ createdAt: Z('2026-06-01T08:00:00.000Z'), billedThrough: Z('2026-06-01T10:30:00.000Z'), now: Z('2026-06-01T13:00:00.000Z') }),
    );
    expect(starts(r.hours)).toEqual(['2026-06-01T10:00:00.000Z', '2026-06-01T11:00:00.000Z', '2026-06-01T12:00:00.000Z']);
  });

  it('a watermark earlier than the creation never bills hours before the creation hour', () => {
    const r = priceHours(
      opts({ createdAt: Z('2026-06-01T10:15:00.000Z'), billedThrough: Z('2026-05-20T00:00:00.000Z'), now: Z('2026-06-01T12:00:00.000Z') }),
    );
    expect(starts(r.hours)).toEqual(['2026-06-01T10:00:00.000Z', '2026-06-01T11:00:00.000Z']);
  });

  it('calling again with the returned billedThrough bills nothing twice', () => {
    const base = opts({ createdAt: Z('2026-06-01T10:15:00.000Z'), now: Z('2026-06-01T14:20:00.000Z') });
    const first = priceHours(base);
    expect(first.hours).toHaveLength(4);
    const again = priceHours({ ...base, billedThrough: first.billedThrough });
    expect(again.hours).toEqual([]);
    expect(again.billedThrough.getTime()).toBe(first.billedThrough.getTime());
    const later = priceHours({ ...base, billedThrough: first.billedThrough, now: Z('2026-06-01T16:00:00.000Z') });
    expect(starts(later.hours)).toEqual(['2026-06-01T14:00:00.000Z', '2026-06-01T15:00:00.000Z']);
    const all = [...starts(first.hours), ...starts(later.hours)];
    expect(new Set(all).size).toBe(all.length);
  });

  // A scenario with every rule in play: creation mid-hour, an upgrade mid-hour, the cap reached with a remainder
  // hour and free hours, a new month, and a deletion mid-hour.
  const splitScenario = (): TOpts => ({
    createdAt: Z('2026-01-30T21:17:05.123Z'),
    deletedAt: Z('2026-02-01T07:10:00.000Z'),
    billedThrough: Z('2026-01-30T21:17:05.123Z'),
    now: Z('2026-02-01T12:00:00.000Z'),
    planChanges: [
      { planId: 'small', at: Z('2026-01-30T21:17:05.123Z') },
      { planId: 'big', at: Z('2026-01-31T05:45:00.000Z') },
    ],
    prices: new Map([
      ['small', { hourlyCents: 7, capCents: 300 }],
      ['big', { hourlyCents: 19, capCents: 380 }],
    ]),
    chargedByMonth: new Map(),
  });

  it('splitting the range into two calls at any point gives exactly the hours and cents of one call', () => {
    const base = splitScenario();
    const one = priceHours(base);
    // The scenario really exercises the cap, the remainder hour, a new month and the deletion:
    const r = one;
    const jan = r.hours.filter((h) => h.month.toISOString() === '2026-01-01T00:00:00.000Z');
    const feb = r.hours.filter((h) => h.month.toISOString() === '2026-02-01T00:00:00.000Z');
    // Jan: 8 small hours (21:00 Jan 30 .. 04:00 Jan 31) = 56, then big: 17 x 19 = 323 (379), 1 cent (380), then 0.
    expect(cents(jan)).toEqual([...Array(8).fill(7), ...Array(17).fill(19), 1, 0]);
    expect(total(jan)).toBe(380);
    // Feb: fresh month, 00:00 .. 07:00 (deleted at 07:10) at the big rate.
    expect(cents(feb)).toEqual(Array(8).fill(19));
    expect(r.hours).toHaveLength(27 + 8);
    expect(r.billedThrough.toISOString()).toBe('2026-02-01T12:00:00.000Z');

    const from = Z('2026-01-30T19:00:00.000Z').getTime();
    const to = base.now.getTime() + 2 * HOUR;
    let checked = 0;
    for (let t = from; t <= to; t += HOUR) {
      for (const offset of [-1, 0, 1, 17 * 60_000, 30 * 60_000, HOUR - 1]) {
        const split = new Date(t + offset);
        const two = runCalls(base, [split, base.now]);
        expect(plain(two.hours), split.toISOString()).toEqual(plain(one.hours));
        expect(total(two.hours), split.toISOString()).toBe(total(one.hours));
        // A split after `base.now` bills up to that later instant (a deleted server: nothing more), so the
        // watermark may be later; a split at or before `now` lands exactly on the single call's watermark.
        if (split.getTime() <= base.now.getTime()) expect(two.billedThrough.getTime(), split.toISOString()).toBe(one.billedThrough.getTime());
        checked++;
      }
    }
    expect(checked).toBe(44 * 6);
  });

  it('many calls at pseudo-random instants add up to the same bill as one call', () => {
    const base = splitScenario();
    const one = priceHours(base);
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 40; run++) {
      const nows = Array.from({ length: 1 + Math.floor(rand() * 12) }, () => new Date(base.createdAt.getTime() + Math.floor(rand() * 40 * HOUR)))
        .sort((a, b) => a.getTime() - b.getTime())
        .filter((d) => d.getTime() < base.now.getTime());
      const many = runCalls(base, [...nows, base.now]);
      expect(plain(many.hours), nows.map((d) => d.toISOString()).join(',')).toEqual(plain(one.hours));
    }
  });
});

describe('priceHours: months and the monthly cap', () => {
  it('a 31-day month (744 hours) at 1 cent an hour with a 672 cap charges exactly 672; later hours list at 0', () => {
    const r = priceHours(opts({ createdAt: Z('2026-03-01T00:00:00.000Z'), now: Z('2026-04-01T00:00:00.000Z'), prices: onePlan(1, 672) }));
    expect(r.hours).toHaveLength(744);
    expect(total(r.hours)).toBe(672);
    expect(r.hours.every((h) => h.month.toISOString() === '2026-03-01T00:00:00.000Z')).toBe(true);
    expect(r.hours[671]).toMatchObject({ start: Z('2026-03-28T23:00:00.000Z'), cents: 1 });
    expect(r.hours[672]).toMatchObject({ start: Z('2026-03-29T00:00:00.000Z'), cents: 0 });
    expect(r.hours.slice(672).every((h) => h.cents === 0)).toBe(true);
    expect(r.hours.at(-1)?.start.toISOString()).toBe('2026-03-31T23:00:00.000Z');
    expect(r.billedThrough.toISOString()).toBe('2026-04-01T00:00:00.000Z');
  });

  it('the hour that reaches the cap is charged only the rest (hourly 7, cap 100: 14 x 7, then 2, then 0)', () => {
    const r = priceHours(opts({ createdAt: Z('2026-05-10T00:00:00.000Z'), now: Z('2026-05-10T20:00:00.000Z'), prices: onePlan(7, 100) }));
    expect(cents(r.hours)).toEqual([...Array(14).fill(7), 2, ...Array(5).fill(0)]);
    expect(total(r.hours)).toBe(100);
    // An hourly price above the cap: the very first hour reaches it.
    const steep = priceHours(opts({ createdAt: Z('2026-05-10T00:00:00.000Z'), now: Z('2026-05-10T03:00:00.000Z'), prices: onePlan(500, 120) }));
    expect(cents(steep.hours)).toEqual([120, 0, 0]);
  });

  it('a new UTC month starts fresh after the cap was reached', () => {
    const r = priceHours(opts({ createdAt: Z('2026-01-31T00:00:00.000Z'), now: Z('2026-02-01T03:00:00.000Z'), prices: onePlan(7, 100) }));
    const jan = r.hours.slice(0, 24);
    const feb = r.hours.slice(24);
    expect(jan.every((h) => h.month.toISOString() === '2026-01-01T00:00:00.000Z')).toBe(true);
    expect(cents(jan)).toEqual([...Array(14).fill(7), 2, ...Array(9).fill(0)]);
    expect(plain(feb)).toEqual([
      { start: '2026-02-01T00:00:00.000Z', month: '2026-02-01T00:00:00.000Z', planId: 'p', cents: 7 },
      { start: '2026-02-01T01:00:00.000Z', month: '2026-02-01T00:00:00.000Z', planId: 'p', cents: 7 },
      { start: '2026-02-01T02:00:00.000Z', month: '2026-02-01T00:00:00.000Z', planId: 'p', cents: 7 },
    ]);
  });

  it('the year boundary is a month boundary too (Dec capped by earlier calls, Jan fresh)', () => {
    const r = priceHours(
      opts({
        createdAt: Z('2026-12-01T00:00:00.000Z'),
        billedThrough: Z('2026-12-31T22:00:00.000Z'),
        now: Z('2027-01-01T02:00:00.000Z'),
        prices: onePlan(7, 100),
        chargedByMonth: new Map([['2026-12-01T00:00:00.000Z', 100]]),
      }),
    );
    expect(plain(r.hours).map((h) => [h.start, h.month, h.cents])).toEqual([
      ['2026-12-31T22:00:00.000Z', '2026-12-01T00:00:00.000Z', 0],
      ['2026-12-31T23:00:00.000Z', '2026-12-01T00:00:00.000Z', 0],
      ['2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', 7],
      ['2027-01-01T01:00:00.000Z', '2027-01-01T00:00:00.000Z', 7],
    ]);
  });

  it('respects chargedByMonth from earlier calls (keyed by month start ISO), only for its own month', () => {
    const r = priceHours(
      opts({
        createdAt: Z('2026-01-01T00:00:00.000Z'),
        billedThrough: Z('2026-01-20T00:00:00.000Z'),
        now: Z('2026-01-20T03:00:00.000Z'),
        prices: onePlan(7, 100),
        chargedByMonth: new Map([
          ['2026-01-01T00:00:00.000Z', 95],
          ['2026-02-01T00:00:00.000Z', 100], // another month: irrelevant for January hours
          ['2025-12-01T00:00:00.000Z', 100],
        ]),
      }),
    );
    expect(cents(r.hours)).toEqual([5, 0, 0]);
  });

  it('never charges a negative amount when earlier charges exceed the cap, and leaves the given map alone', () => {
    const charged = new Map([['2026-01-01T00:00:00.000Z', 150]]);
    const r = priceHours(
      opts({
        createdAt: Z('2026-01-01T00:00:00.000Z'),
        billedThrough: Z('2026-01-31T22:00:00.000Z'),
        now: Z('2026-02-01T01:00:00.000Z'),
        prices: onePlan(7, 100),
        chargedByMonth: charged,
      }),
    );
    expect(cents(r.hours)).toEqual([0, 0, 7]);
    expect([...charged]).toEqual([['2026-01-01T00:00:00.000Z', 150]]);
  });

  it('February 2028 (leap) has 696 hours, February 2027 has 672', () => {
    const feb = (y: number) => priceHours(opts({ createdAt: U(y, 2, 1), now: U(y, 3, 1), prices: onePlan(1, 1000) }));
    const leap = feb(2028);
    const common = feb(2027);
    expect(leap.hours).toHaveLength(696);
    expect(total(leap.hours)).toBe(696);
    expect(leap.hours.at(-1)?.start.toISOString()).toBe('2028-02-29T23:00:00.000Z');
    expect(leap.hours.every((h) => h.month.toISOString() === '2028-02-01T00:00:00.000Z')).toBe(true);
    expect(common.hours).toHaveLength(672);
    expect(total(common.hours)).toBe(672);
    expect(common.hours.at(-1)?.start.toISOString()).toBe('2027-02-28T23:00:00.000Z');
  });

  it('with a 672-hour cap, 29 February 2028 is free while February 2027 has no free hour', () => {
    const feb = (y: number) => priceHours(opts({ createdAt: U(y, 2, 1), now: U(y, 3, 1, 1), prices: onePlan(1, 672) }));
    const leap = feb(2028);
    expect(leap.hours.filter((h) => h.cents === 0).map((h) => h.start.getUTCDate())).toEqual(Array(24).fill(29));
    expect(leap.hours.at(-1)).toMatchObject({ start: U(2028, 3, 1, 0), month: U(2028, 3, 1), cents: 1 });
    const common = feb(2027);
    expect(common.hours.filter((h) => h.cents === 0)).toEqual([]);
    expect(common.hours.at(-1)).toMatchObject({ start: U(2027, 3, 1, 0), month: U(2027, 3, 1), cents: 1 });
  });
});

describe('priceHours: plan changes', () => {
  const prices = new Map<string, TPlanPrice>([
    ['small', { hourlyCents: 10, capCents: BIG_CAP }],
    ['big', { hourlyCents: 30, capCents: BIG_CAP }],
  ]);
  const changed = (at: Date, now = Z('2026-06-01T14:00:00.000Z')) =>
    priceHours(
      opts({
        createdAt: Z('2026-06-01T10:00:00.000Z'),
        now,
        prices,
        planChanges: [
          { planId: 'small', at: Z('2026-06-01T10:00:00.000Z') },
          { planId: 'big', at },
        ],
      }),
    );

  it('bills hours before the change at the old rate and the hour of the change at the new rate', () => {
    const r = changed(Z('2026-06-01T12:30:00.000Z'));
    expect(plain(r.hours).map((h) => [h.start.slice(11, 16), h.planId, h.cents])).toEqual([
      ['10:00', 'small', 10],
      ['11:00', 'small', 10],
      ['12:00', 'big', 30], // the upgrade happened in this hour: plan in effect at its end
      ['13:00', 'big', 30],
    ]);
  });

  it('a change exactly at 12:00 starts with the 12:00 hour; at 11:59:59.999 it already prices the 11:00 hour', () => {
    expect(changed(Z('2026-06-01T12:00:00.000Z')).hours.map((h) => h.planId)).toEqual(['small', 'small', 'big', 'big']);
    expect(changed(Z('2026-06-01T11:59:59.999Z')).hours.map((h) => h.planId)).toEqual(['small', 'big', 'big', 'big']);
  });

  it('several changes within one hour: only the plan at the hour end counts', () => {
    // Surprising but as documented: an upgrade undone within the same hour is never billed.
    const r = priceHours(
      opts({
        createdAt: Z('2026-06-01T10:00:00.000Z'),
        now: Z('2026-06-01T12:00:00.000Z'),
        prices,
        planChanges: [
          { planId: 'small', at: Z('2026-06-01T10:00:00.000Z') },
          { planId: 'big', at: Z('2026-06-01T11:10:00.000Z') },
          { planId: 'small', at: Z('2026-06-01T11:50:00.000Z') },
        ],
      }),
    );
    expect(r.hours.map((h) => [h.planId, h.cents])).toEqual([
      ['small', 10],
      ['small', 10],
    ]);
  });

  it('hours before the first recorded plan change use the first plan', () => {
    // The creation row can be stamped a little after createdAt (e.g. written later in the transaction).
    const r = priceHours(
      opts({
        createdAt: Z('2026-06-01T10:59:59.990Z'),
        now: Z('2026-06-01T12:00:00.000Z'),
        prices,
        planChanges: [{ planId: 'big', at: Z('2026-06-01T11:00:00.010Z') }],
      }),
    );
    expect(r.hours.map((h) => [h.start.toISOString(), h.planId, h.cents])).toEqual([
      ['2026-06-01T10:00:00.000Z', 'big', 30],
      ['2026-06-01T11:00:00.000Z', 'big', 30],
    ]);
  });

  it("an upgrade's cap applies to the month's running total of all plans", () => {
    // small: 10/h, cap 100; big: 30/h, cap 300. Upgrade at 08:00 exactly.
    // 00:00-07:00: 8 x 10 = 80 (small). From 08:00 big: 80 + 7 x 30 = 290 (08:00-14:00), 15:00 gets the
    // remaining 10 (= 300), 16:00 on 0. The month costs 300 (the big plan's monthly price), not 100 + 300 nor 80 + 300.
    const r = priceHours(
      opts({
        createdAt: Z('2026-06-01T00:00:00.000Z'),
        now: Z('2026-06-01T20:00:00.000Z'),
        prices: new Map([
          ['small', { hourlyCents: 10, capCents: 100 }],
          ['big', { hourlyCents: 30, capCents: 300 }],
        ]),
        planChanges: [
          { planId: 'small', at: Z('2026-06-01T00:00:00.000Z') },
          { planId: 'big', at: Z('2026-06-01T08:00:00.000Z') },
        ],
      }),
    );
    expect(cents(r.hours)).toEqual([...Array(8).fill(10), ...Array(7).fill(30), 10, 0, 0, 0, 0]);
    expect(total(r.hours)).toBe(300);
  });

  it('an upgrade after the small cap was reached bills again up to the big cap (the free hours stay free)', () => {
    // small capped at 100 after 10 hours (00:00-09:00); 10:00, 11:00 free; big from 12:00: 6 x 30 = 180
    // (280), 18:00 the remaining 20, 19:00 nothing. Month total 300.
    const r = priceHours(
      opts({
        createdAt: Z('2026-06-01T00:00:00.000Z'),
        now: Z('2026-06-01T20:00:00.000Z'),
        prices: new Map([
          ['small', { hourlyCents: 10, capCents: 100 }],
          ['big', { hourlyCents: 30, capCents: 300 }],
        ]),
        planChanges: [
          { planId: 'small', at: Z('2026-06-01T00:00:00.000Z') },
          { planId: 'big', at: Z('2026-06-01T12:00:00.000Z') },
        ],
      }),
    );
    expect(cents(r.hours)).toEqual([...Array(10).fill(10), 0, 0, ...Array(6).fill(30), 20, 0]);
    expect(total(r.hours)).toBe(300);
  });

  it('a downgrade after the month already cost more than the small cap bills nothing more that month', () => {
    // big: 8 x 30 = 240 > small cap 100, so every later small hour is 0 until the month ends.
    const r = priceHours(
      opts({
        createdAt: Z('2026-06-30T00:00:00.000Z'),
        now: Z('2026-07-01T02:00:00.000Z'),
        prices: new Map([
          ['small', { hourlyCents: 10, capCents: 100 }],
          ['big', { hourlyCents: 30, capCents: 300 }],
        ]),
        planChanges: [
          { planId: 'big', at: Z('2026-06-30T00:00:00.000Z') },
          { planId: 'small', at: Z('2026-06-30T08:00:00.000Z') },
        ],
      }),
    );
    expect(cents(r.hours)).toEqual([...Array(8).fill(30), ...Array(16).fill(0), 10, 10]);
    expect(r.hours.slice(8).every((h) => h.planId === 'small')).toBe(true);
  });
});
