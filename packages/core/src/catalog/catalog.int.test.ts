// Private catalogs and ordering on behalf: a reseller's plan is on sale to it and its customers only, and a
// reseller orders servers into its customers' tenants, never anyone else's.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '@berth/contracts';
import { createTestDatabase } from '@berth/db/testing';
import { createServer } from '../servers/create-server.ts';
import { expectAppError, makePrincipal, makeWorld, nextHostname } from '../testing/fixtures.ts';
import { createPlan } from './create-plan.ts';
import { listPlans } from './list-plans.ts';
import { updatePlan } from './update-plan.ts';
import { setResellerPrice } from '../billing/set-reseller-price.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { t = await createTestDatabase(); });
afterAll(async () => t?.drop());

it('sells a reseller\'s private plan to its customers only, and lets it order for them', async () => {
  const { db } = t;
  const w = await makeWorld(db, { cidr: '198.18.0.0/24' });
  const scopes = ['servers:read', 'servers:write', 'account:read', 'account:write'];
  const reseller = await makePrincipal(db, { role: 'reseller', scopes });
  const other = await makePrincipal(db, { role: 'reseller', scopes });
  const childTenant = await db.tenant.create({ data: { id: newId('tenant'), name: 'child', parentId: reseller.tenantId } });
  const child = await makePrincipal(db, { tenantId: childTenant.id, scopes });
  const stranger = await makePrincipal(db, { scopes });

  const plan = await createPlan({ db, principal: reseller, input: { name: 'R-1', cpuCores: 1, cpuWeight: 100, memoryMb: 512, swapMb: 0, diskGb: 5, ioReadBps: 0, ioWriteBps: 0, ioReadIops: 0, ioWriteIops: 0, pidsMax: 512, priceCentsMonthly: 199, overageCentsPerGb: 0, overageAction: 'bill', throttleMbit: 10, nesting: false, maxSnapshots: 3, maxBackups: 5 } });
  expect(plan.tenantId).toBe(reseller.tenantId);
  const sees = async (p: typeof child) => (await listPlans({ db, principal: p })).data.some((x) => x.id === plan.id);
  expect([await sees(reseller), await sees(child), await sees(other), await sees(stranger)]).toEqual([true, true, false, false]);

  const order = (p: typeof child, extra: object = {}) =>
    createServer({ db, principal: p, input: { hostname: nextHostname(), planId: plan.id, templateId: w.template.id, ...extra } });
  // Not on sale until the platform has set what the reseller pays for it.
  await expectAppError(order(child), 'invalid_state');
  const admin = await makePrincipal(db, { role: 'admin', scopes: [...scopes, 'admin:*'] });
  await setResellerPrice({ db, principal: admin, input: { resellerId: reseller.tenantId, planId: plan.id, kind: 'wholesale', monthlyCents: 120 } });
  expect((await order(child)).server.tenantId).toBe(childTenant.id);
  const err = await expectAppError(order(stranger), 'validation_failed');
  expect(err.fieldErrors?.[0]?.path).toBe('planId');

  // On behalf: into a customer tenant of the reseller, not into anyone else's; customers cannot at all.
  expect((await order(reseller, { tenantId: childTenant.id })).server.tenantId).toBe(childTenant.id);
  await expectAppError(order(other, { tenantId: childTenant.id }), 'not_found');
  await expectAppError(order(child, { tenantId: stranger.tenantId }), 'not_found');

  // Retired: no longer on sale, still readable; only its owner (or an admin) may change it.
  await expectAppError(updatePlan({ db, principal: other, planId: plan.id, input: { active: false } }), 'not_found');
  await expectAppError(updatePlan({ db, principal: child, planId: plan.id, input: { active: false } }), 'forbidden');
  await updatePlan({ db, principal: reseller, planId: plan.id, input: { active: false } });
  await expectAppError(order(child), 'validation_failed');
  expect((await listPlans({ db, principal: child, includeRetired: true })).data.find((x) => x.id === plan.id)?.active).toBe(false);
});

it('lists another tenant\'s catalog (a server owner\'s resize choices) only for a tenant the caller can see', async () => {
  const { db } = t;
  const scopes = ['servers:read', 'servers:write', 'account:read', 'account:write'];
  const reseller = await makePrincipal(db, { role: 'reseller', scopes });
  const admin = await makePrincipal(db, { role: 'admin', scopes: [...scopes, 'admin:*'] });
  const childTenant = await db.tenant.create({ data: { id: newId('tenant'), name: 'child', parentId: reseller.tenantId } });
  const stranger = await makePrincipal(db, { scopes });
  const plan = await createPlan({ db, principal: reseller, input: { name: 'R-2', cpuCores: 1, cpuWeight: 100, memoryMb: 512, swapMb: 0, diskGb: 5, ioReadBps: 0, ioWriteBps: 0, ioReadIops: 0, ioWriteIops: 0, pidsMax: 512, priceCentsMonthly: 199, overageCentsPerGb: 0, overageAction: 'bill', throttleMbit: 10, nesting: false, maxSnapshots: 3, maxBackups: 5 } });
  const has = async (p: typeof admin, forTenantId: string) => (await listPlans({ db, principal: p, forTenantId })).data.some((x) => x.id === plan.id);

  // The admin sees every plan, but a tenant outside the reseller cannot order this one.
  expect((await listPlans({ db, principal: admin })).data.some((x) => x.id === plan.id)).toBe(true);
  expect([await has(admin, childTenant.id), await has(admin, stranger.tenantId), await has(reseller, childTenant.id)]).toEqual([true, false, true]);
  await expectAppError(listPlans({ db, principal: stranger, forTenantId: childTenant.id }), 'not_found');
  await expectAppError(listPlans({ db, principal: reseller, forTenantId: stranger.tenantId }), 'not_found');
});
