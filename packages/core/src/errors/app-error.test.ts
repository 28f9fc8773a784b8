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

describe('a database that cannot be reached', () => {
  it('is a 503 the client may retry, whether Prisma, pg or a wrapped cause says so; other errors stay 500', () => {
    const wrapped = new Error('Invalid `prisma.server.findMany()` invocation', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }) });
    expect(toProblem(wrapped, () => {})).toMatchObject({ status: 503, code: 'unavailable' });
    expect(toProblem(Object.assign(new Error('x'), { code: 'P1001' }), () => {})).toMatchObject({ status: 503 });
    expect(toProblem(new Error('terminating connection due to administrator command'), () => {})).toMatchObject({ status: 503 });
    expect(toProblem(new Error('relation "servers" does not exist'), () => {})).toMatchObject({ status: 500 });
  });
});
