import { describe, expect, it } from 'vitest';
import { nextRunAt } from './next-run-at.ts';

const at = (iso: string) => new Date(iso);

describe('nextRunAt', () => {
  it('is later the same day when the hour is still ahead', () => {
    expect(nextRunAt(3, at('2024-05-10T01:15:00Z')).toISOString()).toBe('2024-05-10T03:00:00.000Z');
    expect(nextRunAt(23, at('2024-05-10T22:59:59.999Z')).toISOString()).toBe('2024-05-10T23:00:00.000Z');
  });

  it('is the next day once the hour has passed', () => {
    expect(nextRunAt(3, at('2024-05-10T03:00:00.001Z')).toISOString()).toBe('2024-05-11T03:00:00.000Z');
    expect(nextRunAt(0, at('2024-05-10T12:00:00Z')).toISOString()).toBe('2024-05-11T00:00:00.000Z');
  });

  it('is strictly after: exactly at the hour gives the next day', () => {
    expect(nextRunAt(3, at('2024-05-10T03:00:00.000Z')).toISOString()).toBe('2024-05-11T03:00:00.000Z');
    expect(nextRunAt(0, at('2024-05-10T00:00:00.000Z')).toISOString()).toBe('2024-05-11T00:00:00.000Z');
  });

  it('rolls over month, year and leap-day boundaries', () => {
    expect(nextRunAt(3, at('2024-04-30T10:00:00Z')).toISOString()).toBe('2024-05-01T03:00:00.000Z');
    expect(nextRunAt(3, at('2024-12-31T04:00:00Z')).toISOString()).toBe('2025-01-01T03:00:00.000Z');
    expect(nextRunAt(3, at('2024-02-28T04:00:00Z')).toISOString()).toBe('2024-02-29T03:00:00.000Z');
    expect(nextRunAt(3, at('2023-02-28T04:00:00Z')).toISOString()).toBe('2023-03-01T03:00:00.000Z');
  });

  it('works in UTC whatever the instant\'s offset was written in', () => {
    // 01:30 in New York (-05:00) is 06:30 UTC: 03:00 UTC that day has passed.
    expect(nextRunAt(3, at('2024-01-15T01:30:00-05:00')).toISOString()).toBe('2024-01-16T03:00:00.000Z');
    // 23:30 on the 15th at +05:00 is 18:30 UTC on the 15th: 20:00 UTC that same day is ahead.
    expect(nextRunAt(20, at('2024-01-15T23:30:00+05:00')).toISOString()).toBe('2024-01-15T20:00:00.000Z');
  });

  it('always lands on the hour, within 24 hours after, and does not change its input', () => {
    const after = at('2024-07-01T17:42:13.500Z');
    const copy = after.getTime();
    for (let h = 0; h < 24; h++) {
      const next = nextRunAt(h, after);
      expect(next.getUTCHours()).toBe(h);
      expect(next.getUTCMinutes() + next.getUTCSeconds() + next.getUTCMilliseconds()).toBe(0);
      expect(next.getTime()).toBeGreaterThan(after.getTime());
      expect(next.getTime() - after.getTime()).toBeLessThanOrEqual(24 * 3_600_000);
    }
    expect(after.getTime()).toBe(copy);
  });

  it('chained, it gives one run a day', () => {
    let t = at('2024-03-30T05:00:00Z');
    const runs: string[] = [];
    for (let i = 0; i < 3; i++) runs.push((t = nextRunAt(3, t)).toISOString());
    expect(runs).toEqual(['2024-03-31T03:00:00.000Z', '2024-04-01T03:00:00.000Z', '2024-04-02T03:00:00.000Z']);
  });
});
