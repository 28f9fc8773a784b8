import { describe, expect, it } from 'vitest';
import { hourStart, hourlyCents, monthStart, nextMonth } from './clock.ts';
import { priceHours } from './price-hours.ts';
import { HOUR, U, Z, opts, onePlan, plain, starts, cents, total, runCalls, withTZ, type TOpts } from './price-hours.fixtures.ts';

// priceHours: deletion, suspension, time zones, bounded calls, missing prices.

describe('priceHours: deletion', () => {
  const createdAt = Z('2026-06-01T09:00:00.000Z');

  it('deleted at 10:20 bills the 10:00 hour and nothing after (also: created and deleted in one hour)', () => {
    const r = priceHours(opts({ createdAt, deletedAt: Z('2026-06-01T10:20:00.000Z'), now: Z('2026-06-01T15:30:00.000Z') }));
    expect(starts(r.hours)).toEqual(['2026-06-01T09:00:00.000Z', '2026-06-01T10:00:00.000Z']);
    expect(r.billedThrough.toISOString()).toBe('2026-06-01T15:00:00.000Z');
    // Created and deleted within the same hour: that one hour, whole.
    const brief = priceHours(
      opts({ createdAt: Z('2026-06-01T10:05:00.000Z'), deletedAt: Z('2026-06-01T10:06:00.000Z'), now: Z('2026-06-01T20:00:00.000Z') }),
    );
    expect(plain(brief.hours)).toEqual([{ start: '2026-06-01T10:00:00.000Z', month: '2026-06-01T00:00:00.000Z', planId: 'p', cents: 10 }]);
  });

  it('deleted exactly at 11:00 does not bill the 11:00 hour; deleted 1 ms later does', () => {
    const at = priceHours(opts({ createdAt, deletedAt: Z('2026-06-01T11:00:00.000Z'), now: Z('2026-06-01T15:00:00.000Z') }));
    expect(starts(at.hours)).toEqual(['2026-06-01T09:00:00.000Z', '2026-06-01T10:00:00.000Z']);
    const after = priceHours(opts({ createdAt, deletedAt: Z('2026-06-01T11:00:00.001Z'), now: Z('2026-06-01T15:00:00.000Z') }));
    expect(starts(after.hours)).toEqual(['2026-06-01T09:00:00.000Z', '2026-06-01T10:00:00.000Z', '2026-06-01T11:00:00.000Z']);
  });

  it('after deletion the returned watermark makes every later call bill nothing', () => {
    const base = opts({ createdAt, deletedAt: Z('2026-06-01T10:20:00.000Z'), now: Z('2026-06-01T12:00:00.000Z') });
    const first = priceHours(base);
    expect(first.hours).toHaveLength(2);
    let billedThrough = first.billedThrough;
    for (const now of [Z('2026-06-01T12:00:00.000Z'), Z('2026-06-01T13:00:00.001Z'), Z('2026-07-15T00:00:00.000Z'), Z('2027-06-01T00:00:00.000Z')]) {
      const r = priceHours({ ...base, billedThrough, now });
      expect(r.hours, now.toISOString()).toEqual([]);
      expect(r.billedThrough.getTime()).toBeGreaterThanOrEqual(billedThrough.getTime());
      billedThrough = r.billedThrough;
    }
  });

  it('deleted mid-hour before that hour has ended: bills it only once it has ended, then never again', () => {
    const base = opts({ createdAt, billedThrough: Z('2026-06-01T10:00:00.000Z'), deletedAt: Z('2026-06-01T10:20:00.000Z'), now: Z('2026-06-01T10:40:00.000Z') });
    const during = priceHours(base);
    expect(during.hours).toEqual([]);
    expect(during.billedThrough.toISOString()).toBe('2026-06-01T10:00:00.000Z');
    const ended = priceHours({ ...base, billedThrough: during.billedThrough, now: Z('2026-06-01T11:00:00.000Z') });
    expect(starts(ended.hours)).toEqual(['2026-06-01T10:00:00.000Z']);
    const later = priceHours({ ...base, billedThrough: ended.billedThrough, now: Z('2026-06-01T18:00:00.000Z') });
    expect(later.hours).toEqual([]);
  });
});

describe('priceHours: suspension', () => {
  it('has no suspension input: hours of a "suspended" stretch are charged like any other', () => {
    // The panel suspends a server from 06:00 to 18:00 (e.g. an unpaid invoice). The server still exists, its
    // disk and IP are held, so billing knows nothing about it: every hour is charged at the plan's rate.
    const base = opts({ createdAt: Z('2026-06-01T00:00:00.000Z'), now: Z('2026-06-02T00:00:00.000Z') });
    const r = priceHours({
      ...base,
      // @ts-expect-error -- there is deliberately no suspension option; an unknown key must change nothing
      suspended: [{ from: Z('2026-06-01T06:00:00.000Z'), to: Z('2026-06-01T18:00:00.000Z') }],
    });
    expect(r.hours).toHaveLength(24);
    const suspendedStretch = r.hours.filter((h) => h.start.getUTCHours() >= 6 && h.start.getUTCHours() < 18);
    expect(suspendedStretch).toHaveLength(12);
    expect(suspendedStretch.every((h) => h.cents === 10)).toBe(true);
    expect(total(r.hours)).toBe(240);
    expect(plain(r.hours)).toEqual(plain(priceHours(base).hours));
  });
});

describe('priceHours: time zones (always UTC)', () => {
  it('a UTC month boundary where local time (Los Angeles) is still the previous month', () => {
    const r = withTZ('America/Los_Angeles', () => {
      // Guard: the time zone really took effect, so this test could catch local-time calendar maths.
      expect(U(2026, 3, 1, 1).getMonth()).toBe(1); // 1 March 01:00 UTC = 28 February 17:00 in LA
      return priceHours(
        opts({
          createdAt: Z('2026-02-28T22:00:00.000Z'),
          now: Z('2026-03-01T03:00:00.000Z'),
          prices: onePlan(7, 100),
          chargedByMonth: new Map([['2026-02-01T00:00:00.000Z', 100]]),
        }),
      );
    });
    expect(plain(r.hours).map((h) => [h.start, h.month, h.cents])).toEqual([
      ['2026-02-28T22:00:00.000Z', '2026-02-01T00:00:00.000Z', 0],
      ['2026-02-28T23:00:00.000Z', '2026-02-01T00:00:00.000Z', 0],
      ['2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', 7],
      ['2026-03-01T01:00:00.000Z', '2026-03-01T00:00:00.000Z', 7],
      ['2026-03-01T02:00:00.000Z', '2026-03-01T00:00:00.000Z', 7],
    ]);
  });

  it('a UTC month where local time (UTC+14) is already the next month stays in the UTC month', () => {
    const r = withTZ('Pacific/Kiritimati', () => {
      expect(Z('2026-02-28T12:00:00.000Z').getMonth()).toBe(2); // already 1 March 02:00 locally
      return priceHours(opts({ createdAt: Z('2026-02-28T10:00:00.000Z'), now: Z('2026-02-28T13:00:00.000Z'), prices: onePlan(7, 100) }));
    });
    expect(r.hours.map((h) => h.month.toISOString())).toEqual(Array(3).fill('2026-02-01T00:00:00.000Z'));
  });

  it('gives identical results under any TZ, including half-hour offsets and DST changes', () => {
    // Covers 8 March 2026 (US spring forward) and 29 March 2026 (EU), and a month boundary; India is UTC+5:30,
    // Chatham UTC+12:45, so local hour starts are not UTC hour starts there.
    const base = opts({
      createdAt: Z('2026-03-07T20:30:00.000Z'),
      billedThrough: Z('2026-03-07T20:30:00.000Z'),
      now: Z('2026-04-01T03:15:00.000Z'),
      prices: onePlan(3, 1500),
      planChanges: [{ planId: 'p', at: Z('2026-03-07T20:30:00.000Z') }],
    });
    const inUtc = withTZ('UTC', () => priceHours(base));
    // 7 Mar 20:00 .. 1 Apr 02:00 inclusive: 4 + 24 x 24 + 3 hours.
    expect(inUtc.hours).toHaveLength(4 + 24 * 24 + 3);
    for (const tz of ['America/Los_Angeles', 'Europe/Berlin', 'Asia/Kolkata', 'Pacific/Chatham', 'Pacific/Kiritimati', 'America/St_Johns']) {
      const r = withTZ(tz, () => priceHours(base));
      expect(plain(r.hours), tz).toEqual(plain(inUtc.hours));
      expect(r.billedThrough.toISOString(), tz).toBe('2026-04-01T03:00:00.000Z');
    }
    // Every hour is a whole UTC hour, consecutive, even across the DST changes.
    for (let i = 1; i < inUtc.hours.length; i++) expect(inUtc.hours[i]!.start.getTime() - inUtc.hours[i - 1]!.start.getTime()).toBe(HOUR);
    expect(inUtc.hours.every((h) => h.start.getTime() % HOUR === 0)).toBe(true);
  });

  it('the clock helpers ignore the local zone', () => {
    withTZ('America/Los_Angeles', () => {
      expect(monthStart(Z('2026-03-01T00:30:00.000Z')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
      expect(monthStart(Z('2026-02-28T23:59:59.999Z')).toISOString()).toBe('2026-02-01T00:00:00.000Z');
      expect(nextMonth(U(2026, 12, 1)).toISOString()).toBe('2027-01-01T00:00:00.000Z');
      expect(nextMonth(U(2028, 2, 1)).toISOString()).toBe('2028-03-01T00:00:00.000Z');
    });
    withTZ('Asia/Kolkata', () => {
      expect(hourStart(Z('2026-06-01T10:45:00.000Z')).toISOString()).toBe('2026-06-01T10:00:00.000Z');
    });
  });
});

describe('priceHours: maxHours', () => {
  it('bounds the number of hours and returns a watermark that resumes exactly', () => {
    const base = opts({ createdAt: Z('2026-06-01T00:00:00.000Z'), now: Z('2026-06-02T00:00:00.000Z'), maxHours: 5 });
    const first = priceHours(base);
    expect(first.hours).toHaveLength(5);
    expect(first.billedThrough.toISOString()).toBe('2026-06-01T05:00:00.000Z');
    const second = priceHours({ ...base, billedThrough: first.billedThrough });
    expect(starts(second.hours)[0]).toBe('2026-06-01T05:00:00.000Z');
    expect(second.billedThrough.toISOString()).toBe('2026-06-01T10:00:00.000Z');
  });

  it('catching up in bounded calls gives exactly the single call (cap, new month, plan change, deletion)', () => {
    const base: TOpts = {
      createdAt: Z('2026-01-29T13:13:13.000Z'),
      deletedAt: Z('2026-02-03T05:59:00.000Z'),
      billedThrough: Z('2026-01-29T13:13:13.000Z'),
      now: Z('2026-02-10T00:00:00.000Z'),
      planChanges: [
        { planId: 'small', at: Z('2026-01-29T13:13:13.000Z') },
        { planId: 'big', at: Z('2026-01-30T20:20:00.000Z') },
      ],
      prices: new Map([
        ['small', { hourlyCents: 4, capCents: 150 }],
        ['big', { hourlyCents: 11, capCents: 700 }],
      ]),
      chargedByMonth: new Map([['2026-01-01T00:00:00.000Z', 40]]),
    };
    const one = priceHours({ ...base, maxHours: 100_000 });
    expect(one.hours.some((h) => h.cents === 0)).toBe(true); // the cap is reached in January
    for (const maxHours of [1, 2, 7, 24, 50]) {
      const calls = Math.ceil(one.hours.length / maxHours) + 2;
      const bounded = runCalls(base, Array(calls).fill(base.now), maxHours);
      expect(plain(bounded.hours), `maxHours ${maxHours}`).toEqual(plain(one.hours));
      expect(bounded.perCall.every((n) => n <= maxHours)).toBe(true);
      expect(bounded.billedThrough.getTime()).toBe(one.billedThrough.getTime());
    }
  });

  it('a call stopped by maxHours just before the deletion hour resumes to no hours and the end watermark', () => {
    const base = opts({
      createdAt: Z('2026-06-01T00:00:00.000Z'),
      deletedAt: Z('2026-06-01T03:00:00.000Z'),
      now: Z('2026-06-01T09:00:00.000Z'),
      maxHours: 3,
    });
    const first = priceHours(base);
    expect(starts(first.hours)).toEqual(['2026-06-01T00:00:00.000Z', '2026-06-01T01:00:00.000Z', '2026-06-01T02:00:00.000Z']);
    expect(first.billedThrough.toISOString()).toBe('2026-06-01T03:00:00.000Z');
    const second = priceHours({ ...base, billedThrough: first.billedThrough });
    expect(second.hours).toEqual([]);
    expect(second.billedThrough.toISOString()).toBe('2026-06-01T09:00:00.000Z');
  });

  it('defaults to 62 days (1488 hours) per call', () => {
    const r = priceHours(opts({ createdAt: Z('2026-01-01T00:00:00.000Z'), now: Z('2026-05-01T00:00:00.000Z') }));
    expect(r.hours).toHaveLength(1488);
    expect(r.billedThrough.toISOString()).toBe('2026-03-04T00:00:00.000Z'); // Jan 744 + Feb 672 + 72
  });
});

describe('priceHours: prices', () => {
  it('throws when the plan in effect has no price, naming the hour', () => {
    expect(() =>
      priceHours(
        opts({
          createdAt: Z('2026-06-01T10:00:00.000Z'),
          now: Z('2026-06-01T12:00:00.000Z'),
          planChanges: [{ planId: 'gone', at: Z('2026-06-01T10:00:00.000Z') }],
        }),
      ),
    ).toThrow('no plan price for the hour 2026-06-01T10:00:00.000Z');
    // No plan at all.
    expect(() => priceHours(opts({ createdAt: Z('2026-06-01T10:00:00.000Z'), now: Z('2026-06-01T12:00:00.000Z'), planChanges: [] }))).toThrow(
      /no plan price/,
    );
  });

  it('a missing price of a later plan fails the whole call (no partial bill), but not a bounded call that stops before it', () => {
    const base = opts({
      createdAt: Z('2026-06-01T10:00:00.000Z'),
      now: Z('2026-06-01T15:00:00.000Z'),
      planChanges: [
        { planId: 'p', at: Z('2026-06-01T10:00:00.000Z') },
        { planId: 'unknown', at: Z('2026-06-01T13:30:00.000Z') },
      ],
    });
    expect(() => priceHours(base)).toThrow('no plan price for the hour 2026-06-01T13:00:00.000Z');
    expect(priceHours({ ...base, maxHours: 3 }).hours).toHaveLength(3);
  });

  it('hourlyCents: the own hourly price, else the monthly price over 672 hours rounded up; an explicit 0 stays 0', () => {
    expect(hourlyCents({ priceCentsHourly: 5, priceCentsMonthly: 99_999 })).toBe(5);
    expect(hourlyCents({ priceCentsHourly: null, priceCentsMonthly: 672 })).toBe(1);
    expect(hourlyCents({ priceCentsHourly: null, priceCentsMonthly: 673 })).toBe(2);
    expect(hourlyCents({ priceCentsHourly: null, priceCentsMonthly: 1000 })).toBe(2);
    expect(hourlyCents({ priceCentsHourly: 0, priceCentsMonthly: 1000 })).toBe(0);
  });
});
