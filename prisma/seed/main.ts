// Idempotent seed: the first admin, plans, templates, this machine as the first host and its IPv4 pool.
import os from 'node:os';
import { statfsSync, mkdirSync } from 'node:fs';
import { newId } from '@berth/contracts';
import { loadEnv, ZSeedEnv } from '@berth/config';
import { createDb } from '@berth/db';
import { hashPassword } from '@berth/core';
import { SEED_PLANS, SEED_TEMPLATES } from './plans.ts';
import { usableAddresses } from '@berth/core';

const env = loadEnv(ZSeedEnv);
const db = createDb(env.DATABASE_URL);

const admin = await db.user.findUnique({ where: { email: env.BERTH_ADMIN_EMAIL } });
if (!admin) {
  const tenant = await db.tenant.create({ data: { id: newId('tenant'), name: 'Platform' } });
  await db.user.create({
    data: { id: newId('user'), tenantId: tenant.id, email: env.BERTH_ADMIN_EMAIL, name: 'Admin', role: 'admin', passwordHash: await hashPassword(env.BERTH_ADMIN_PASSWORD) },
  });
}

for (const p of SEED_PLANS) {
  const data = { ...p, ioReadBps: BigInt(p.ioReadBps), ioWriteBps: BigInt(p.ioWriteBps) };
  await db.plan.upsert({ where: { name: p.name }, create: { id: newId('plan'), ...data }, update: {} });
}
for (const t of SEED_TEMPLATES) {
  await db.template.upsert({ where: { name: t.name }, create: { id: newId('template'), ...t }, update: {} });
}

// Capacity: the machine's cores and memory, and the free space where the agent keeps images.
mkdirSync(env.BERTH_DATA_DIR, { recursive: true });
const fs = statfsSync(env.BERTH_DATA_DIR);
const uid = { uidBase: 1_000_000 + env.BERTH_UID_FIRST_SLOT * 65_536, uidSlots: env.BERTH_UID_SLOTS };
const capacity = {
  cpuCores: os.cpus().length,
  memoryMb: Math.floor(os.totalmem() / 2 ** 20),
  diskGb: Math.floor((fs.bavail * fs.bsize) / 2 ** 30),
  // Placement may allocate up to hardware x ratio of each resource.
  cpuOvercommit: env.BERTH_CPU_OVERCOMMIT,
  memoryOvercommit: env.BERTH_MEMORY_OVERCOMMIT,
  diskOvercommit: env.BERTH_DISK_OVERCOMMIT,
};
// This machine keeps one host row: a fresh checkout on the same machine adopts it instead of adding another.
const hostId = env.BERTH_HOST_ID ?? (await db.host.findUnique({ where: { name: os.hostname() } }))?.id ?? newId('host');
await db.host.upsert({
  where: { id: hostId },
  create: { id: hostId, name: os.hostname(), address: '127.0.0.1', ...capacity, ...uid },
  update: { ...capacity, ...uid },
});

// Backups: a directory outside the VPS pool, this host's target unless an admin attached another.
const target = await db.backupTarget.upsert({
  where: { name: 'local' },
  create: { id: newId('backupTarget'), name: 'local', kind: 'dir', config: { path: env.BERTH_BACKUP_DIR } },
  update: {},
});
await db.host.updateMany({ where: { id: hostId, backupTargetId: null }, data: { backupTargetId: target.id } });

const { addresses, prefixLength } = usableAddresses(env.BERTH_BRIDGE_CIDR, env.BERTH_POOL_RANGE);
let pool = await db.ipPool.findFirst({ where: { hostId: hostId, cidr: env.BERTH_BRIDGE_CIDR } });
pool ??= await db.ipPool.create({
  data: { id: newId('ipPool'), hostId: hostId, cidr: env.BERTH_BRIDGE_CIDR, prefixLength, gateway: null, hosts: { create: { hostId } } },
});
const made = await db.ipAddress.createMany({
  data: addresses.map((address) => ({ id: newId('ipAddress'), poolId: pool.id, address })),
  skipDuplicates: true,
});

console.error(`seed: admin ${env.BERTH_ADMIN_EMAIL}, ${SEED_PLANS.length} plans, ${SEED_TEMPLATES.length} template(s), host ${hostId}, pool ${env.BERTH_BRIDGE_CIDR} offsets ${env.BERTH_POOL_RANGE} (+${made.count} addresses)`);
await db.$disconnect();
// The only stdout line: setup records it in .env as BERTH_HOST_ID.
console.log(hostId);
