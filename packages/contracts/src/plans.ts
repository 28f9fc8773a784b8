import { z } from 'zod';
import { ZId } from './ids.ts';

/** What a VPS is sold with; every limit the agent enforces comes from here. */
export const ZPlan = z.object({
  id: ZId('plan'),
  name: z.string(),
  cpuCores: z.number().positive(), // CFS quota in cores, e.g. 1.5
  cpuWeight: z.number().int().min(1).max(10000), // relative share, 100 = normal
  memoryMb: z.number().int().positive(),
  swapMb: z.number().int().min(0),
  diskGb: z.number().int().positive(),
  ioReadBps: z.number().int().min(0), // 0 = unlimited
  ioWriteBps: z.number().int().min(0),
  ioReadIops: z.number().int().min(0),
  ioWriteIops: z.number().int().min(0),
  pidsMax: z.number().int().positive(),
  priceCentsMonthly: z.number().int().min(0),
  nesting: z.boolean(), // containers allowed inside the VPS
  createdAt: z.string(),
});
export type TPlan = z.infer<typeof ZPlan>;

export const ZTemplate = z.object({
  id: ZId('template'),
  name: z.string(), // e.g. debian-12
  label: z.string(), // e.g. Debian 12 (bookworm)
  imageRef: z.string(), // what the agent resolves to an image on its host
  createdAt: z.string(),
});
export type TTemplate = z.infer<typeof ZTemplate>;
