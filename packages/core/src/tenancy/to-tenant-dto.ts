import type { TTenant } from '@berth/contracts';
import type { Tenant } from '@berth/db';

export const toTenantDto = (t: Tenant): TTenant => ({
  id: t.id, name: t.name, parentId: t.parentId, privateNetwork: t.privateNetwork,
  billingMode: t.billingMode, currency: t.currency,
  quotas: { maxServers: t.maxServers, maxCpuCores: t.maxCpuCores, maxMemoryMb: t.maxMemoryMb, maxDiskGb: t.maxDiskGb, maxIps: t.maxIps },
  createdAt: t.createdAt.toISOString(),
});
