import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { AppError, ERROR_STATUS, toProblem } from './app-error.ts';
import { ERROR_CODES } from '@berth/contracts';

describe('toProblem', () => {
  it('maps every code to a status', () => {
    for (const c of ERROR_CODES) expect(ERROR_STATUS[c]).toBeGreaterThanOrEqual(400);
  });
  it('turns a ZodError into 422 with field paths', () => {
    const r = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } });
    const p = toProblem(r.error);
    expect(p).toMatchObject({ status: 422, code: 'validation_failed', errors: [{ path: 'a.b' }] });
  });
  it('keeps an AppError code and detail', () => {
    expect(toProblem(new AppError('operation_in_progress', 'busy'))).toMatchObject({ status: 409, code: 'operation_in_progress', detail: 'busy' });
  });
  it('hides unknown errors behind a generic 500 and logs them', () => {
    const logged: unknown[] = [];
    const p = toProblem(new Error('secret db password in message'), (e) => logged.push(e));
    expect(p.status).toBe(500);
    expect(JSON.stringify(p)).not.toContain('secret');
    expect(logged).toHaveLength(1);
  });
});
