import { z } from 'zod';
import { ZId } from './ids.ts';
import { ZHostUsage } from './jobs.ts';
import { ZOperation } from './operations.ts';

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
  /** Hardware and use as the agent's last heartbeat measured them; null before the first. */
  usage: ZHostUsage.nullable(),
  /** The latest install of its agent over SSH (POST /hosts, /hosts/{id}/install); null for hosts set up by hand. */
  lastInstall: z.object({
    id: ZId('hostInstall'), status: z.enum(['pending', 'running', 'succeeded', 'failed']),
    step: z.string().nullable(), error: z.string().nullable(), finishedAt: z.string().nullable(),
  }).nullable(),
  /** Where its servers' backups go (POST /backup-targets/{id}/hosts); null: no backups on this host. */
  backupTargetId: ZId('backupTarget').nullable(),
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
  /** The host the pool was created for. */
  hostId: ZId('host'),
  /** Every host on the pool's L2 segment: each may hand out its addresses, and VPSes keep them moving between them. */
  hostIds: z.array(ZId('host')),
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

/** POST /ip-pools/{id}/hosts: another host on the pool's L2 segment may hand out its addresses; VPSes keep them when moving between such hosts. */
export const ZAddIpPoolHostRequest = z.object({ hostId: ZId('host') });
export type TAddIpPoolHostRequest = z.infer<typeof ZAddIpPoolHostRequest>;

/** POST /servers/{id}/migrate: move the VPS to another host, keeping its IPv4 (the target must share its pool). */
export const ZMigrateServerRequest = z.object({
  /** The destination; absent = the host with the most free memory that shares the server's pool. */
  hostId: ZId('host').optional(),
});
export type TMigrateServerRequest = z.infer<typeof ZMigrateServerRequest>;

/** POST /hosts/{id}/evacuate: the migrations queued, and the servers no other host could take now (retry later). */
export const ZEvacuateHostResponse = z.object({
  operations: z.array(ZOperation),
  unplaced: z.array(z.object({ serverId: ZId('server'), reason: z.string() })),
});
export type TEvacuateHostResponse = z.infer<typeof ZEvacuateHostResponse>;

const absPath = z.string().regex(/^\/[A-Za-z0-9._/-]{0,200}$/, 'an absolute path of letters, digits and ._-/').refine((p) => !p.split('/').includes('..'), 'no ..');

/** How the panel logs in to a host over SSH to install its agent (a password or a private key; never stored past the run). */
const ZSshLogin = z.object({
  sshUser: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/).default('root'),
  sshPort: z.number().int().min(1).max(65535).default(22),
  password: z.string().min(1).max(1000).optional(),
  privateKey: z.string().min(40).max(20_000).optional(),
});
const oneSecret = (v: { password?: string; privateKey?: string }) => !!v.password !== !!v.privateKey;
const oneSecretMessage = { message: 'give either password or privateKey', path: ['password'] };

/** POST /hosts: register a machine and install its agent over SSH (202; the install runs in the background). */
export const ZAddHostRequest = ZSshLogin.extend({
  name: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,62}$/, 'lowercase letters, digits, dots and dashes'),
  /** Where the panel reaches it over SSH, and where browsers and other hosts reach its agent (console, migrations). */
  address: z.string().regex(/^[A-Za-z0-9.-]{1,253}$|^\[?[0-9a-fA-F:]+\]?$/, 'a host name or IP address'),
  /** On the host: the agent's install directory, its data (image pool) and its LXC path. */
  installDir: absPath.default('/opt/berth-agent'),
  dataDir: absPath.default('/var/lib/berth'),
  lxcPath: absPath.default('/var/lib/berth/lxc'),
  /**
   * Which of the host's 15000 uid slots (65536 ids each, from uid 1000000) its VPSes get: all by default;
   * fewer when the host also runs other containers in that range.
   */
  uidFirstSlot: z.number().int().min(0).max(14_999).default(0),
  uidSlots: z.number().int().min(1).max(15_000).default(15_000),
}).refine(oneSecret, oneSecretMessage)
  .refine((v) => v.uidFirstSlot + v.uidSlots <= 15_000, { message: 'uidFirstSlot + uidSlots must stay within 15000', path: ['uidSlots'] });
export type TAddHostRequest = z.infer<typeof ZAddHostRequest>;

/** POST /hosts/{id}/install: install the panel's current agent again (upgrade or repair) with fresh SSH credentials. */
export const ZInstallHostRequest = ZSshLogin.refine(oneSecret, oneSecretMessage);
export type TInstallHostRequest = z.infer<typeof ZInstallHostRequest>;

export const ZHostInstall = z.object({
  id: ZId('hostInstall'),
  hostId: ZId('host'),
  status: z.enum(['pending', 'running', 'succeeded', 'failed']),
  step: z.string().nullable(),
  error: z.string().nullable(),
  bundleId: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type THostInstall = z.infer<typeof ZHostInstall>;
export const ZHostInstallResponse = z.object({ host: ZHost, install: ZHostInstall });

export const QUARANTINE_STATUSES = ['pending', 'quarantined', 'purging', 'purged', 'gone', 'needs_admin', 'resolved', 'failed'] as const;

/** What reconciliation found on a host with no owner (quarantined, then purged) or could not decide about. */
export const ZQuarantinedContainer = z.object({
  id: ZId('quarantine'),
  hostId: ZId('host'),
  serverId: ZId('server'),
  status: z.enum(QUARANTINE_STATUSES),
  reason: z.string(),
  /** What the agent reported: running | stopped | image (a disk with no container). */
  found: z.string(),
  /** Directory under the host's <pool>/quarantine/ once set aside. */
  location: z.string().nullable(),
  error: z.string().nullable(),
  foundAt: z.string(),
  quarantinedAt: z.string().nullable(),
  purgeAfter: z.string().nullable(),
  purgedAt: z.string().nullable(),
});
export type TQuarantinedContainer = z.infer<typeof ZQuarantinedContainer>;

export const ZListQuarantinedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(200).optional(),
  status: z.enum(QUARANTINE_STATUSES).optional(),
  hostId: ZId('host').optional(),
});
export type TListQuarantinedQuery = z.infer<typeof ZListQuarantinedQuery>;
