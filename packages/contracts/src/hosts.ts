import { z } from 'zod';
import { ZId } from './ids.ts';

export const ZHostStatus = z.enum(['online', 'offline', 'maintenance']);
export type THostStatus = z.infer<typeof ZHostStatus>;

export const ZHost = z.object({
  id: ZId('host'),
  name: z.string(),
  address: z.string(),
  status: ZHostStatus,
  cpuCores: z.number(),
  memoryMb: z.number().int(),
  diskGb: z.number().int(),
  lastHeartbeatAt: z.string().nullable(),
  createdAt: z.string(),
});
export type THost = z.infer<typeof ZHost>;
