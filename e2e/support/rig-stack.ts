// Rig hosts in a private test stack (e2e/support/stack.ts): their host rows (nothing in the API or CLI
// registers a host yet, so straight into the stack's database) and, through the public API
// (POST /ip-pools), one IPv4 pool per host: disjoint blocks of the switch's /24, its gateway the switch.
import os from 'node:os';
import { createDb } from '@berth/db';
import { apiClient } from './api.ts';
import { SWITCH_CIDR, SWITCH_GATEWAY } from './rig-net.ts';
import type { TRig } from './rig.ts';
import type { TStack } from './stack.ts';

// uid slots 13000-14999 (50 per host): clear of the dev panel's (0-11999) and test stacks' (12000-12999),
// and no two rig hosts share host uids (they share one kernel).
const UID_FIRST_SLOT = 13_000;
const UID_SLOTS = 50;
const UID_RANGE = 65_536;

type TOptions = { stack: Pick<TStack, 'baseUrl' | 'adminKey' | 'env'>; rig: TRig };

/** Host rows start offline: a host turns online only when its agent's heartbeat arrives. */
const insertHosts = async ({ stack, rig }: TOptions) => {
  const db = createDb(stack.env.DATABASE_URL!, { max: 2 });
  try {
    for (const h of rig.hosts) {
      await db.host.create({
        data: {
          id: h.id, name: `rig-${rig.id}-${h.name}`, address: h.mgmtIp, status: 'offline',
          cpuCores: os.cpus().length, memoryMb: Math.floor(os.totalmem() / 2 ** 20), diskGb: 100,
          uidBase: 1_000_000 + (UID_FIRST_SLOT + h.index * UID_SLOTS) * UID_RANGE, uidSlots: UID_SLOTS,
        },
      });
    }
  } finally {
    await db.$disconnect();
  }
};

/** Register every rig host and its pool; returns the pools (POST /ip-pools responses) by host name. */
export const registerRigHosts = async (o: TOptions): Promise<Record<string, { id: string; cidr: string; gateway: string | null }>> => {
  await insertHosts(o);
  const api = apiClient(o.stack.baseUrl, o.stack.adminKey);
  const pools: Record<string, { id: string; cidr: string; gateway: string | null }> = {};
  for (const h of o.rig.hosts) {
    const r = await api.post('/ip-pools', { hostId: h.id, cidr: SWITCH_CIDR, range: o.rig.poolRange(h), gateway: SWITCH_GATEWAY });
    if (r.status !== 201) throw new Error(`POST /ip-pools for rig host ${h.name}: ${r.status} ${JSON.stringify(r.body)}`);
    pools[h.name] = r.body;
  }
  return pools;
};
