import type { TPlan, TTemplate } from '@berth/contracts';
import type { Plan, Template } from '@berth/db';
import { hourlyCents } from '../billing/clock.ts';

export const toPlanDto = (p: Plan): TPlan => ({
  id: p.id, name: p.name, cpuCores: p.cpuCores, cpuWeight: p.cpuWeight, memoryMb: p.memoryMb, swapMb: p.swapMb,
  diskGb: p.diskGb, ioReadBps: Number(p.ioReadBps), ioWriteBps: Number(p.ioWriteBps), ioReadIops: p.ioReadIops,
  ioWriteIops: p.ioWriteIops, pidsMax: p.pidsMax, priceCentsMonthly: p.priceCentsMonthly, priceCentsHourly: hourlyCents(p), transferGb: p.transferGb, overageCentsPerGb: p.overageCentsPerGb, overageAction: p.overageAction, throttleMbit: p.throttleMbit, nesting: p.nesting,
  maxSnapshots: p.maxSnapshots, maxBackups: p.maxBackups,
  active: p.active, tenantId: p.tenantId, createdAt: p.createdAt.toISOString(),
});

export const toTemplateDto = (t: Template): TTemplate => ({
  id: t.id, name: t.name, label: t.label, imageRef: t.imageRef, active: t.active, tenantId: t.tenantId, createdAt: t.createdAt.toISOString(),
});
