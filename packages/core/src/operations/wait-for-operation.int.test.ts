// The long poll wakes on Postgres NOTIFY (the migration's trigger), not on its timeout.
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@berth/db/testing';
import { applyFinished } from './apply-finished.ts';
import { waitForOperation, type TSubscribe } from './wait-for-operation.ts';
import { createFor, makeWorld } from '../testing/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: ReturnType<typeof postgres>;
const waiters = new Map<string, () => void>();
const subscribe: TSubscribe = (id, wake) => (waiters.set(id, wake), () => waiters.delete(id));

beforeAll(async () => {
  t = await createTestDatabase();
  sql = postgres(t.url, { max: 1, onnotice: () => {} });
  await sql.listen('berth_operation', (id) => waiters.get(id)?.());
});
afterAll(async () => {
  await sql?.end();
  await t?.drop();
});

it('answers at once when the operation finishes, well before its timeout', { timeout: 20_000 }, async () => {
  const w = await makeWorld(t.db);
  const { server, operation } = await createFor(t.db, w.principal, w.plan.id, w.template.id);
  // A 10-minute wait: only the NOTIFY can end it within the test's 20 s.
  const waiting = waitForOperation({ db: t.db, principal: w.principal, operationId: operation.id, timeoutMs: 600_000, subscribe });
  await new Promise((r) => setTimeout(r, 300));
  await applyFinished({ db: t.db, event: { operationId: operation.id, serverId: server.id, hostId: w.host.id, outcome: 'succeeded', state: 'running', error: null, attempt: 1 } });
  expect(await waiting).toMatchObject({ id: operation.id, status: 'succeeded' });
  expect(waiters.size).toBe(0); // unsubscribed
});

it('returns the unfinished operation when the wait runs out', async () => {
  const w = await makeWorld(t.db, { cidr: '198.18.1.0/24' });
  const { operation } = await createFor(t.db, w.principal, w.plan.id, w.template.id);
  const op = await waitForOperation({ db: t.db, principal: w.principal, operationId: operation.id, timeoutMs: 200, subscribe });
  expect(op.status).toBe('queued');
});
