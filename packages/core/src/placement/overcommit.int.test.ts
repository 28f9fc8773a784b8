// Placement judges CPU, memory and disk separately, each against hardware x the host's overcommit ratio.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '@berth/db/testing';
import { createFor, expectAppError, hostCounters, makePlan, makeWorld } from '../testing/fixtures.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

it('fills a host up to hardware x ratio of each resource, whichever runs out first, then refuses clearly', async () => {
  const { db } = t;
  const w = await makeWorld(db, { cpuCores: 2, memoryMb: 4096, diskGb: 100, cidr: '198.18.0.0/24' });
  const cpuHeavy = await makePlan(db, { cpuCores: 2, memoryMb: 256, diskGb: 1 });
  await db.host.update({ where: { id: w.host.id }, data: { cpuOvercommit: 3, memoryOvercommit: 1, diskOvercommit: 1 } });

  for (let i = 0; i < 3; i++) await createFor(db, w.principal, cpuHeavy.id, w.template.id); // 6 of 2 x 3 cores
  const full = await expectAppError(createFor(db, w.principal, cpuHeavy.id, w.template.id), 'no_capacity');
  expect(full.message).toMatch(/No host has room/);
  expect(full.status).toBe(503);

  // Memory is not overcommitted here: 4096 - 768 MB left, so a 4 GB plan does not fit even with CPU to spare...
  const memHeavy = await makePlan(db, { cpuCores: 0.5, memoryMb: 4096, diskGb: 1 });
  await db.host.update({ where: { id: w.host.id }, data: { cpuOvercommit: 8 } });
  await expectAppError(createFor(db, w.principal, memHeavy.id, w.template.id), 'no_capacity');
  // ...until the admin allows 2x memory on this host.
  await db.host.update({ where: { id: w.host.id }, data: { memoryOvercommit: 2 } });
  await createFor(db, w.principal, memHeavy.id, w.template.id);
  expect(await hostCounters(db, w.host.id)).toMatchObject({ cpu: 6.5, memoryMb: 768 + 4096 });

  const diskHeavy = await makePlan(db, { cpuCores: 0.5, memoryMb: 128, diskGb: 97 });
  await expectAppError(createFor(db, w.principal, diskHeavy.id, w.template.id), 'no_capacity'); // 4 + 97 > 100
});
