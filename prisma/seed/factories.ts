// Factories shared by the seed, integration tests and e2e: each makes one valid row with overridable fields.
import { newId } from '@berth/contracts';
import type { TDb, UserRole } from '@berth/db';
import { createApiKey, type TPrincipal } from '@berth/core';
import { SEED_PLANS, SEED_TEMPLATES } from './plans.ts';
import { usableAddresses } from '../../packages/core/src/ipam/usable-addresses.ts';

export const makePlan = (db: TDb, over: Partial<(typeof SEED_PLANS)[number]> = {}) => {
  const p = { ...SEED_PLANS[0]!, name: `plan-${newId('plan').slice(5, 13)}`, ...over };
  return db.plan.create({ data: { id: newId('plan'), ...p, ioReadBps: BigInt(p.ioReadBps), ioWriteBps: BigInt(p.ioWriteBps) } });
};

export const makeTemplate = (db: TDb, over: Partial<(typeof SEED_TEMPLATES)[number]> = {}) =>
  db.template.create({ data: { id: newId('template'), ...SEED_TEMPLATES[0]!, name: `tpl-${newId('template').slice(4, 12)}`, ...over } });

type THostOver = { id?: string; cpuCores?: number; memoryMb?: number; diskGb?: number; cidr?: string; status?: 'online' | 'offline' | 'maintenance'; uidSlots?: number };

/** A host with an IPv4 pool filled with every usable address of `cidr`. */
export const makeHost = async (db: TDb, over: THostOver = {}) => {
  const id = over.id ?? newId('host');
  const cidr = over.cidr ?? '198.18.0.0/24';
  const host = await db.host.create({
    data: {
      id, name: `host-${id.slice(5, 13)}`, address: '127.0.0.1', status: over.status ?? 'online',
      cpuCores: over.cpuCores ?? 8, memoryMb: over.memoryMb ?? 16384, diskGb: over.diskGb ?? 500,
      ...(over.uidSlots ? { uidSlots: over.uidSlots } : {}),
    },
  });
  const { addresses, prefixLength } = usableAddresses(cidr);
  const pool = await db.ipPool.create({ data: { id: newId('ipPool'), hostId: id, cidr, prefixLength, gateway: null, hosts: { create: { hostId: id } } } });
  await db.ipAddress.createMany({ data: addresses.map((address) => ({ id: newId('ipAddress'), poolId: pool.id, address })) });
  return host;
};

/** A user in a tenant of its own (or the given one), as a principal with the scopes asked for. */
export const makePrincipal = async (
  db: TDb,
  { role = 'customer', scopes = ['servers:read', 'servers:write'], tenantId }: { role?: UserRole; scopes?: string[]; tenantId?: string } = {},
): Promise<TPrincipal & { apiKey: () => Promise<string> }> => {
  const tid = tenantId ?? (await db.tenant.create({ data: { id: newId('tenant'), name: 'test tenant' } })).id;
  const user = await db.user.create({
    data: { id: newId('user'), tenantId: tid, email: `${newId('user')}@test.invalid`, name: 'Test', role },
  });
  return {
    userId: user.id, tenantId: tid, role, scopes,
    apiKey: async () => (await createApiKey({ db, userId: user.id, name: 'test', scopes })).key,
  };
};
