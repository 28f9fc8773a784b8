import { z } from 'zod';
import { ZId } from './ids.ts';
import { ZOperation } from './operations.ts';
import { ZSshPublicKey } from './ssh-key.ts';
import { ZListQuery } from './pagination.ts';

export const SERVER_STATUSES = ['provisioning', 'running', 'stopped', 'suspended', 'error', 'deleting', 'deleted'] as const;
export const ZServerStatus = z.enum(SERVER_STATUSES);
export type TServerStatus = z.infer<typeof ZServerStatus>;

/** RFC 1123 host name: dot-separated labels of a-z, 0-9 and inner hyphens, at most 253 chars. */
export const ZHostname = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/, 'must be a valid host name (RFC 1123)');

export const ZCreateServerRequest = z.object({
  hostname: ZHostname,
  /** Resellers and admins: order for one of their customer tenants (default: the caller's own). */
  tenantId: ZId('tenant').optional(),
  planId: ZId('plan'),
  templateId: ZId('template'),
  sshKeys: z.array(ZSshPublicKey).max(32).optional(),
  /** Saved keys of the caller (POST /ssh-keys), installed with `sshKeys`. */
  sshKeyIds: z.array(ZId('sshKey')).max(32).optional(),
  rootPassword: z.string().min(8).max(128).optional(),
  /** Admins: place it on this host (still within its capacity and overcommit); default: the roomiest. */
  hostId: ZId('host').optional(),
});
export type TCreateServerRequest = z.infer<typeof ZCreateServerRequest>;

export const ZServer = z.object({
  id: ZId('server'),
  hostname: z.string(),
  status: ZServerStatus,
  ipv4: z.string().nullable(),
  planId: ZId('plan'),
  templateId: ZId('template'),
  hostId: ZId('host'),
  /** offline: the host's agent missed its heartbeats, so the status shown is the last known one. */
  hostStatus: z.enum(['online', 'offline', 'maintenance']),
  tenantId: ZId('tenant'),
  /** Booted into the rescue system (its own disk at /mnt) instead of its own init. */
  rescue: z.boolean(),
  createdAt: z.string(),
});
export type TServer = z.infer<typeof ZServer>;

export const ZServerAction = z.object({ type: z.enum(['start', 'stop', 'restart']) });
export type TServerAction = z.infer<typeof ZServerAction>;

/** Move a server to another plan: CPU, memory, IO and pids change live; the disk grows live, shrinks only while stopped. */
export const ZResizeServerRequest = z.object({ planId: ZId('plan') });
export type TResizeServerRequest = z.infer<typeof ZResizeServerRequest>;

/**
 * Wipe and rebuild the disk from a template (the current one unless given); IP, plan and id range stay.
 * SSH keys / root password, when given, replace the stored ones; otherwise the stored ones are re-applied.
 */
export const ZReinstallServerRequest = z.object({
  templateId: ZId('template').optional(),
  sshKeys: z.array(ZSshPublicKey).max(32).optional(),
  sshKeyIds: z.array(ZId('sshKey')).max(32).optional(),
  rootPassword: z.string().min(8).max(128).optional(),
});
export type TReinstallServerRequest = z.infer<typeof ZReinstallServerRequest>;

/** PATCH /tenant: the caller's own tenant settings. */
export const ZUpdateTenantRequest = z.object({ privateNetwork: z.boolean() });
export type TUpdateTenantRequest = z.infer<typeof ZUpdateTenantRequest>;

export const ZListServersQuery = ZListQuery.extend({
  status: ZServerStatus.optional(),
  hostId: ZId('host').optional(),
  tenantId: ZId('tenant').optional(),
});

/** PATCH /servers/{id}: the panel's name for the server, also the container's UTS name from its next start. */
export const ZUpdateServerRequest = z.object({ hostname: ZHostname });
export type TUpdateServerRequest = z.infer<typeof ZUpdateServerRequest>;
export type TListServersQuery = z.infer<typeof ZListServersQuery>;

export const ZCreateServerResponse = z.object({ server: ZServer, operation: ZOperation });
export const ZOperationResponse = z.object({ operation: ZOperation });

export const METRIC_RANGES = { hour: { seconds: 3600, step: 60 }, day: { seconds: 86_400, step: 300 }, month: { seconds: 30 * 86_400, step: 3600 } } as const;
export const ZMetricsQuery = z.object({ range: z.enum(['hour', 'day', 'month']).default('hour') });
export type TMetricsQuery = z.infer<typeof ZMetricsQuery>;

/** One step of a server's graphs: rates over the step, memory averaged, disk at its largest. */
export const ZMetricPoint = z.object({
  at: z.string(),
  cpuCores: z.number(),
  memoryBytes: z.number(),
  diskUsedBytes: z.number(),
  ioReadBps: z.number(),
  ioWriteBps: z.number(),
  netRxBps: z.number(),
  netTxBps: z.number(),
});
export type TMetricPoint = z.infer<typeof ZMetricPoint>;
export const ZServerMetrics = z.object({
  serverId: ZId('server'),
  range: z.enum(['hour', 'day', 'month']),
  stepSeconds: z.number().int(),
  /** Steps with no sample are left out (the VPS was stopped, or no agent reported). */
  points: z.array(ZMetricPoint),
});
export type TServerMetrics = z.infer<typeof ZServerMetrics>;

/**
 * What a console ticket says (signed by the panel with Ed25519, checked by the host's agent): this user may
 * open a shell on this server of this host until `exp` (unix seconds). `jti` makes each ticket single-use.
 */
export const ZConsoleClaims = z.object({
  v: z.literal(1),
  sid: ZId('server'),
  hid: ZId('host'),
  uid: ZId('user'),
  exp: z.number().int(),
  jti: z.string().min(8).max(64),
});
export type TConsoleClaims = z.infer<typeof ZConsoleClaims>;

/** POST /servers/{id}/console: connect to `url` with `?token=`; send {type:"renew", token} with a fresh one before `expiresAt`. */
export const ZConsoleTicket = z.object({
  url: z.string(),
  token: z.string(),
  expiresAt: z.string(),
  renewAfterSeconds: z.number().int(),
});
export type TConsoleTicket = z.infer<typeof ZConsoleTicket>;

/** Control frames of the console websocket (text); terminal bytes travel as binary frames. */
export const ZConsoleControl = z.discriminatedUnion('type', [
  z.object({ type: z.literal('resize'), cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(500) }),
  z.object({ type: z.literal('renew'), token: z.string().max(2000) }),
]);
export type TConsoleControl = z.infer<typeof ZConsoleControl>;

/**
 * GET /api/live (the panel's own event stream, signed-in browsers only): `servers` = comma-separated ids
 * the page shows (at most 200), `list=1` to hear about new servers of the caller's tenants too.
 */
export const ZLiveQuery = z.object({
  servers: z.string().max(200 * 45).default('')
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(ZId('server')).max(200)),
  list: z.enum(['0', '1']).default('0'),
});
export type TLiveQuery = z.infer<typeof ZLiveQuery>;
