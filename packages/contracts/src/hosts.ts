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
  /** Placement allocates up to hardware x ratio of each resource. */
  cpuOvercommit: z.number(),
  memoryOvercommit: z.number(),
  diskOvercommit: z.number(),
  allocated: z.object({ cpuCores: z.number(), memoryMb: z.number().int(), diskGb: z.number().int() }),
  createdAt: z.string(),
});
export type THost = z.infer<typeof ZHost>;

/** PATCH /hosts/{id}: drain (maintenance: no new servers) or tune the overcommit ratios. */
export const ZUpdateHostRequest = z.object({
  status: z.enum(['online', 'maintenance']).optional(),
  cpuOvercommit: z.number().min(0.1).max(1000).optional(),
  memoryOvercommit: z.number().min(0.1).max(100).optional(),
  diskOvercommit: z.number().min(0.1).max(100).optional(),
}).refine((v) => Object.keys(v).length > 0, 'change at least one field');
export type TUpdateHostRequest = z.infer<typeof ZUpdateHostRequest>;

export const ZIpPool = z.object({
  id: ZId('ipPool'),
  hostId: ZId('host'),
  cidr: z.string(),
  gateway: z.string().nullable(),
  total: z.number().int(),
  allocated: z.number().int(),
  createdAt: z.string(),
});
export type TIpPool = z.infer<typeof ZIpPool>;

const ipv4Cidr = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(1[6-9]|2[0-9]|30)$/;

/** POST /ip-pools: addresses of `cidr` (host offsets `range`, e.g. "2-254") for one host's VPSes. */
export const ZCreateIpPoolRequest = z.object({
  hostId: ZId('host'),
  cidr: z.string().regex(ipv4Cidr, 'must be an IPv4 CIDR with a prefix of /16 to /30'),
  range: z.string().regex(/^\d{1,5}-\d{1,5}$/, 'first-last host offsets, e.g. 2-254').optional(),
  gateway: z.ipv4().optional(),
});
export type TCreateIpPoolRequest = z.infer<typeof ZCreateIpPoolRequest>;
export const ZListIpPoolsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(200).optional(),
  hostId: ZId('host').optional(),
});
export type TListIpPoolsQuery = z.infer<typeof ZListIpPoolsQuery>;
