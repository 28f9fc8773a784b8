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
  priceCentsMonthly: z.number().int().min(0), // also the month's cap of hourly billing
  priceCentsHourly: z.number().int().min(0), // billed per started hour, up to the monthly price
  transferGb: z.number().int().nullable(), // monthly transfer (in + out) included, GB of 10^9 bytes; null = unmetered
  overageCentsPerGb: z.number().int().min(0), // per started GB beyond it (overageAction bill)
  overageAction: z.enum(['bill', 'throttle']), // beyond the allowance: bill per GB, or cap the link until the month ends
  throttleMbit: z.number().int().min(1), // the cap, each direction
  nesting: z.boolean(), // containers allowed inside the VPS
  maxSnapshots: z.number().int().min(0), // snapshots a server may hold at once
  maxBackups: z.number().int().min(0), // manual backups a server may hold at once (scheduled ones follow their retention)
  active: z.boolean(), // on sale; servers keep running on a retired plan
  tenantId: ZId('tenant').nullable(), // a reseller's private plan; null = public
  createdAt: z.string(),
});
export type TPlan = z.infer<typeof ZPlan>;

const limits = {
  cpuCores: z.number().min(0.05).max(256),
  cpuWeight: z.number().int().min(1).max(10000).default(100),
  memoryMb: z.number().int().min(64).max(4_194_304),
  swapMb: z.number().int().min(0).max(4_194_304).default(0),
  diskGb: z.number().int().min(1).max(1_000_000),
  ioReadBps: z.number().int().min(0).default(0),
  ioWriteBps: z.number().int().min(0).default(0),
  ioReadIops: z.number().int().min(0).default(0),
  ioWriteIops: z.number().int().min(0).default(0),
  pidsMax: z.number().int().min(64).max(4_194_304).default(1024),
};

/** POST /plans. Limits are fixed once created (servers on the plan rely on them); make a new plan instead. */
export const ZCreatePlanRequest = z.object({
  name: z.string().trim().min(1).max(60),
  ...limits,
  priceCentsMonthly: z.number().int().min(0).max(100_000_000),
  /** Default: the monthly price over 672 hours (28 days), rounded up, so a full month costs the monthly price. */
  priceCentsHourly: z.number().int().min(0).max(10_000_000).optional(),
  /** Monthly transfer included (GB); absent = unmetered. */
  transferGb: z.number().int().min(0).max(10_000_000).optional(),
  /** Price of each started GB beyond transferGb. */
  overageCentsPerGb: z.number().int().min(0).max(1_000_000).default(0),
  /** Beyond the allowance: bill per started GB, or cap the VPS's link at throttleMbit until the month ends. */
  overageAction: z.enum(['bill', 'throttle']).default('bill'),
  throttleMbit: z.number().int().min(1).max(100_000).default(10),
  nesting: z.boolean().default(false),
  maxSnapshots: z.number().int().min(0).max(100).default(3),
  maxBackups: z.number().int().min(0).max(100).default(5),
  /** Admins: make it private to a reseller tenant. A reseller's plans are always its own. */
  tenantId: ZId('tenant').optional(),
});
export type TCreatePlanRequest = z.infer<typeof ZCreatePlanRequest>;

export const ZUpdatePlanRequest = z.object({
  name: z.string().trim().min(1).max(60).optional(),
  priceCentsMonthly: z.number().int().min(0).max(100_000_000).optional(),
  priceCentsHourly: z.number().int().min(0).max(10_000_000).optional(),
  active: z.boolean().optional(),
}).refine((v) => Object.keys(v).length > 0, 'change at least one of name, priceCentsMonthly, priceCentsHourly, active');
export type TUpdatePlanRequest = z.infer<typeof ZUpdatePlanRequest>;

export const ZTemplate = z.object({
  id: ZId('template'),
  name: z.string(), // e.g. debian-12
  label: z.string(), // e.g. Debian 12 (bookworm)
  imageRef: z.string(), // what the agent resolves to an image on its host
  active: z.boolean(),
  tenantId: ZId('tenant').nullable(),
  createdAt: z.string(),
});
export type TTemplate = z.infer<typeof ZTemplate>;

/** POST /templates (admins): register an image the agents build (agent/scripts/build-template.sh). */
export const ZCreateTemplateRequest = z.object({
  name: z.string().trim().regex(/^[a-z0-9][a-z0-9.-]{0,39}$/, 'lower-case letters, digits, dots and dashes'),
  label: z.string().trim().min(1).max(80),
  imageRef: z.string().trim().regex(/^[a-z0-9][a-z0-9.-]{0,39}$/, 'lower-case letters, digits, dots and dashes'),
  tenantId: ZId('tenant').optional(),
});
export type TCreateTemplateRequest = z.infer<typeof ZCreateTemplateRequest>;
export const ZUpdateTemplateRequest = z.object({ label: z.string().trim().min(1).max(80).optional(), active: z.boolean().optional() })
  .refine((v) => Object.keys(v).length > 0, 'change at least one of label, active');
export type TUpdateTemplateRequest = z.infer<typeof ZUpdateTemplateRequest>;
