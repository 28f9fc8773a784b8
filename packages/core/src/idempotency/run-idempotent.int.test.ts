// Idempotency-Key semantics against real Postgres: one action per key, replays, mismatches, failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDb } from '@berth/db';
import { createTestDatabase } from '@berth/db/testing';
import { AppError } from '../errors/app-error.ts';
import { createFor, expectAppError, makeWorld } from '../testing/fixtures.ts';
import { runIdempotent } from './run-idempotent.ts';
import { sweepIdempotencyKeys } from './sweep-idempotency-keys.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: TDb;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => t?.drop());

describe('runIdempotent', () => {
  it('20 concurrent requests with one key create one server; later retries replay the first response', async () => {
    const w = await makeWorld(db, { cidr: '198.18.0.0/24' });
    const create = async () => {
      const r = await createFor(db, w.principal, w.plan.id, w.template.id);
      return { status: 202, body: r };
    };
    const call = () => runIdempotent({ db, owner: 'key:a', key: 'order-1', requestHash: 'h1', run: create });
    const settled = await Promise.allSettled(Array.from({ length: 20 }, call));
    const firsts = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const busy = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as AppError).code] : []));
    expect(firsts.length + busy.length).toBe(20);
    expect(busy.every((c) => c === 'idempotency_in_progress')).toBe(true);
    expect(await db.server.count({ where: { tenantId: w.principal.tenantId } })).toBe(1);

    const again = await call();
    expect(again.replayed).toBe(true);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(JSON.parse(JSON.stringify(firsts.find((f) => !f.replayed)!.body)));
    expect(await db.server.count({ where: { tenantId: w.principal.tenantId } })).toBe(1);
  });

  it('refuses the same key with another request (422), but another caller may use the same key', async () => {
    const run = async () => ({ status: 200, body: { n: 1 } });
    await runIdempotent({ db, owner: 'key:b', key: 'k', requestHash: 'h1', run });
    const err = await expectAppError(runIdempotent({ db, owner: 'key:b', key: 'k', requestHash: 'h2', run }), 'idempotency_key_reused');
    expect(err.status).toBe(422);
    expect((await runIdempotent({ db, owner: 'key:c', key: 'k', requestHash: 'h2', run })).replayed).toBe(false);
  });

  it('stores no failure: a failed first attempt did not act, so a retry runs again', async () => {
    let calls = 0;
    const flaky = async () => {
      calls += 1;
      if (calls === 1) throw new AppError('no_capacity', 'full');
      return { status: 202, body: { ok: true } };
    };
    await expectAppError(runIdempotent({ db, owner: 'key:d', key: 'k', requestHash: 'h', run: flaky }), 'no_capacity');
    expect(await runIdempotent({ db, owner: 'key:d', key: 'k', requestHash: 'h', run: flaky })).toMatchObject({ status: 202, replayed: false });
    expect(await runIdempotent({ db, owner: 'key:d', key: 'k', requestHash: 'h', run: flaky })).toMatchObject({ status: 202, replayed: true });
    expect(calls).toBe(2);
  });

  it('forgets keys after a day', async () => {
    await db.idempotencyKey.updateMany({ where: { owner: 'key:d' }, data: { createdAt: new Date(Date.now() - 25 * 3600_000) } });
    expect(await sweepIdempotencyKeys({ db })).toBe(1);
    expect(await db.idempotencyKey.count({ where: { owner: 'key:d' } })).toBe(0);
  });
});
