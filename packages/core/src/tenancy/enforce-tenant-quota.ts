import type { TTx } from '@berth/db';
import { AppError } from '../errors/app-error.ts';

export type TQuotaUse = { servers: number; cpuCores: number; memoryMb: number; diskGb: number; ips: number };

type TOptions = {
  tx: TTx;
  tenantId: string;
  /** What the change adds (a new server, or a resize's growth). */
  add: TQuotaUse;
  /** A server whose current use is replaced by `add` (a resize), not added to. */
  replacingServerId?: string;
};

type TTenantRow = {
  id: string; parent_id: string | null; max_servers: number | null; max_cpu_cores: number | null;
  max_memory_mb: number | null; max_disk_gb: number | null; max_ips: number | null;
};

const LIMITS = [
  ['servers', 'max_servers'], ['cpuCores', 'max_cpu_cores'], ['memoryMb', 'max_memory_mb'], ['diskGb', 'max_disk_gb'], ['ips', 'max_ips'],
] as const;

const lock = async (tx: TTx, id: string) =>
  (await tx.$queryRaw<TTenantRow[]>`
    SELECT id, parent_id, max_servers, max_cpu_cores, max_memory_mb, max_disk_gb, max_ips FROM tenants WHERE id = ${id} FOR UPDATE`)[0];

/**
 * What a set of tenants holds now. A server with a resize in flight counts at the larger of its two plans,
 * so queued growth cannot be used twice; deleted servers hold nothing.
 */
const usage = async (tx: TTx, tenantIds: string[], exceptServerId: string | null): Promise<TQuotaUse> => {
  const [u] = await tx.$queryRaw<{ servers: number; cpu: number; mem: number; disk: number; ips: number }[]>`
    SELECT count(*)::int AS servers,
           coalesce(sum(greatest(p.cpu_cores, coalesce(t.cpu_cores, 0))), 0)::float AS cpu,
           coalesce(sum(greatest(p.memory_mb, coalesce(t.memory_mb, 0))), 0)::int AS mem,
           coalesce(sum(greatest(p.disk_gb, coalesce(t.disk_gb, 0))), 0)::int AS disk,
           (SELECT count(*)::int FROM ip_addresses a JOIN servers s2 ON s2.id = a.server_id
             WHERE s2.tenant_id = ANY(${tenantIds}) AND s2.id IS DISTINCT FROM ${exceptServerId}) AS ips
    FROM servers s
    JOIN plans p ON p.id = s.plan_id
    LEFT JOIN operations o ON o.server_id = s.id AND o.type = 'resize' AND o.status IN ('queued', 'running')
    LEFT JOIN plans t ON t.id = o.params->>'planId'
    WHERE s.tenant_id = ANY(${tenantIds}) AND s.status <> 'deleted' AND s.id IS DISTINCT FROM ${exceptServerId}`;
  return { servers: u!.servers, cpuCores: u!.cpu, memoryMb: u!.mem, diskGb: u!.disk, ips: u!.ips };
};

/**
 * Refuse a change that would take a tenant, or the reseller above it, past its quota. The tenant rows are
 * locked (child, then parent) until the caller's transaction ends, so concurrent creates for one tenant
 * are judged one after another: 50 parallel creates against a quota of 5 make exactly 5 servers.
 */
export const enforceTenantQuota = async ({ tx, tenantId, add, replacingServerId }: TOptions): Promise<void> => {
  const tenant = await lock(tx, tenantId);
  if (!tenant) throw new AppError('not_found', `tenant ${tenantId} was not found.`);
  const parent = tenant.parent_id ? await lock(tx, tenant.parent_id) : undefined;
  // A tenant's quota covers its own servers and its customers' (a reseller ordering for itself included).
  const withChildren = async (id: string) =>
    (await tx.tenant.findMany({ where: { OR: [{ id }, { parentId: id }] }, select: { id: true } })).map((t) => t.id);
  for (const row of parent ? [tenant, parent] : [tenant]) {
    if (LIMITS.every(([, col]) => row[col] === null)) continue;
    const used = await usage(tx, await withChildren(row.id), replacingServerId ?? null);
    for (const [key, col] of LIMITS) {
      const max = row[col];
      if (max !== null && used[key] + add[key] > max) {
        const whose = row.id === tenantId ? 'Your' : "Your reseller's";
        throw new AppError('quota_exceeded', `${whose} quota allows ${max} ${key}; this would use ${used[key] + add[key]}. Delete or shrink a server, or ask for a higher quota.`);
      }
    }
  }
};
