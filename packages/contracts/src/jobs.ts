import { z } from 'zod';
import { ZId } from './ids.ts';
import { ZBackupTargetSpec } from './backups.ts';

/**
 * Everything the agent needs to converge one VPS. Jobs carry the whole spec because the agent never
 * reads the database, and a retried job must be able to finish the work on its own.
 */
export const ZServerSpec = z.object({
  serverId: ZId('server'),
  hostname: z.string(),
  imageRef: z.string(),
  limits: z.object({
    cpuCores: z.number().positive(),
    cpuWeight: z.number().int().positive(),
    memoryMb: z.number().int().positive(),
    swapMb: z.number().int().min(0),
    diskGb: z.number().int().positive(),
    ioReadBps: z.number().int().min(0),
    ioWriteBps: z.number().int().min(0),
    ioReadIops: z.number().int().min(0),
    ioWriteIops: z.number().int().min(0),
    pidsMax: z.number().int().positive(),
  }),
  network: z.object({
    bridge: z.string().regex(/^[a-z0-9-]{1,15}$/),
    ipv4: z.ipv4(),
    prefixLength: z.number().int().min(8).max(32),
    gateway: z.ipv4().nullable(),
    mac: z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/),
    /** Same-tenant VPSes on this host it may talk to (the tenant opted in); everything else is dropped. */
    peers: z.array(ZId('server')).max(10_000).default([]),
    /** Bandwidth cap of the VPS's link, each direction (its plan's transfer allowance is used up); null = none. */
    rateMbit: z.number().int().min(1).max(100_000).nullable().default(null),
  }),
  /** Host uid/gid range owned by this VPS alone: container 0..count-1 -> host uidBase..uidBase+count-1. */
  idmap: z.object({ uidBase: z.number().int().min(65536), count: z.number().int().min(65536) }),
  access: z.object({ sshKeys: z.array(z.string()), rootPasswordHash: z.string().nullable() }),
  /** Plan features beyond limits; absent in older payloads = all off. */
  features: z.object({ nesting: z.boolean() }).default({ nesting: false }),
});
export type TServerSpec = z.infer<typeof ZServerSpec>;

/**
 * Where a migrating VPS goes (server.migrate@1 only): the target agent's transfer endpoint, its TLS
 * certificate (pinned: the only one trusted), a short-lived panel-signed token, and the VPS's spec on the
 * target (its uid range there). The token carries the spec's digest, so the source cannot alter it.
 */
export const ZMigrationTarget = z.object({
  hostId: ZId('host'),
  url: z.url({ protocol: /^https$/ }),
  certPem: z.string().min(100).max(10_000),
  token: z.string().min(20).max(4000),
  spec: ZServerSpec,
  /** The panel's view: the VPS runs, so it runs on the target (even if an earlier attempt left it stopped). */
  start: z.boolean().default(false),
});
export type TMigrationTarget = z.infer<typeof ZMigrationTarget>;

/** A backup in a target: objects under <serverId>/<backupId>/, its manifest checked against the panel's digest. */
export const ZBackupRef = z.object({
  backupId: ZId('backup'),
  /** The server it is a backup of (names its objects; a restore to a new server differs from the job's). */
  serverId: ZId('server'),
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type TBackupRef = z.infer<typeof ZBackupRef>;

/** server.backup@1: write backup `backupId` to `target`; an incremental stores only chunks that differ from `parent`. */
export const ZBackupJobInfo = z.object({
  backupId: ZId('backup'),
  kind: z.enum(['full', 'incremental']),
  target: ZBackupTargetSpec,
  parent: ZBackupRef.nullable(),
});
export type TBackupJobInfo = z.infer<typeof ZBackupJobInfo>;

/** server.restore@1, or server.create@1 of a server made from a backup: the disk comes from `backup`; backup.verify@1: the backup checked. */
export const ZRestoreJobInfo = z.object({ target: ZBackupTargetSpec, backup: ZBackupRef });
export type TRestoreJobInfo = z.infer<typeof ZRestoreJobInfo>;

/** Payload of every server.* job; the BullMQ jobId is the operation id. */
export const ZServerJob = z.object({
  operationId: ZId('operation'),
  serverId: ZId('server'),
  spec: ZServerSpec,
  migration: ZMigrationTarget.optional(),
  /** server.snapshot@1, snapshot.restore@1, snapshot.delete@1. */
  snapshot: z.object({ snapshotId: ZId('snapshot') }).optional(),
  backup: ZBackupJobInfo.optional(),
  restore: ZRestoreJobInfo.optional(),
});
export type TServerJob = z.infer<typeof ZServerJob>;

/** What the agent observed at the end of an operation. */
export const ZServerState = z.enum(['running', 'stopped', 'absent']);
export type TServerState = z.infer<typeof ZServerState>;

export const ZOperationProgressEvent = z.object({
  operationId: ZId('operation'),
  hostId: ZId('host'),
  step: z.string(),
  progress: z.number().int().min(0).max(100),
  attempt: z.number().int().min(1),
});
export type TOperationProgressEvent = z.infer<typeof ZOperationProgressEvent>;

export const ZOperationFinishedEvent = z.object({
  operationId: ZId('operation'),
  serverId: ZId('server'),
  hostId: ZId('host'),
  outcome: z.enum(['succeeded', 'failed']),
  state: ZServerState.nullable(),
  error: z.string().nullable(),
  attempt: z.number().int().min(1),
  /** What the operation produced (e.g. a backup's digest and sizes, a snapshot's size); absent from older agents. */
  result: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type TOperationFinishedEvent = z.infer<typeof ZOperationFinishedEvent>;

/** A host's hardware and its use, as its agent measures it at each heartbeat. */
export const ZHostUsage = z.object({
  cpuCores: z.number().int().min(0),
  load1: z.number().min(0),
  memoryMb: z.number().int().min(0),
  memoryUsedMb: z.number().int().min(0),
  /** The image pool (where VPS disks live). */
  diskGb: z.number().int().min(0),
  diskUsedGb: z.number().min(0),
});
export type THostUsage = z.infer<typeof ZHostUsage>;

export const ZHostHeartbeatEvent = z.object({
  hostId: ZId('host'),
  at: z.string(),
  agentVersion: z.string(),
  containers: z.number().int().min(0),
  /** Where browsers reach this host's web console (ws://host:port/console); absent from older agents. */
  consoleUrl: z.string().max(300).optional(),
  /** Where other hosts' agents push migrating VPSes (https://host:port), and the certificate to pin. */
  transferUrl: z.string().max(300).optional(),
  transferCertPem: z.string().max(10_000).optional(),
  usage: ZHostUsage.optional(),
  /** The install run that configured this agent (BERTH_INSTALL_ID), when the panel installed it. */
  installId: z.string().max(64).optional(),
});
export type THostHeartbeatEvent = z.infer<typeof ZHostHeartbeatEvent>;

/**
 * Sent by an agent when it starts and every AGENT_INVENTORY_MS: what it finds on its host, so the panel can
 * bring back what should run and find what nobody owns (reconciliation).
 */
export const ZHostInventoryEvent = z.object({
  hostId: ZId('host'),
  at: z.string(),
  servers: z.array(z.object({ serverId: ZId('server'), state: ZServerState })).max(100_000),
  /** Disk images in the pool with no container that this agent made (absent from older agents). */
  orphanImages: z.array(ZId('server')).max(100_000).optional(),
  /**
   * Containers among `servers` with no owner mark (made before marks existed): never quarantined, an admin
   * decides. Absent (older agents) = all of them.
   */
  unmarked: z.array(ZId('server')).max(100_000).optional(),
});
export type THostInventoryEvent = z.infer<typeof ZHostInventoryEvent>;

/**
 * server.quarantine@1: set aside a container (and/or disk image) nobody owns: stop it, forget its filter
 * entries, move its container dir and disk under the pool's quarantine/<serverId>-<stamp>/. Nothing is deleted.
 */
export const ZQuarantineJob = z.object({
  quarantineId: ZId('quarantine'),
  serverId: ZId('server'),
  /** When the panel decided (UTC, e.g. 20261201T101500Z): names the quarantine directory, so a retry reuses it. */
  stamp: z.string().regex(/^\d{8}T\d{6}Z$/),
});
export type TQuarantineJob = z.infer<typeof ZQuarantineJob>;

/** quarantine.purge@1: delete a quarantined copy once its grace period is over. */
export const ZPurgeQuarantineJob = z.object({
  quarantineId: ZId('quarantine'),
  serverId: ZId('server'),
  /** The directory name under quarantine/ the agent reported. */
  location: z.string().regex(/^srv_[0-9a-z]{6,40}-\d{8}T\d{6}Z$/),
});
export type TPurgeQuarantineJob = z.infer<typeof ZPurgeQuarantineJob>;

/** The agent's final report of a quarantine or purge job. */
export const ZQuarantineFinishedEvent = z.object({
  quarantineId: ZId('quarantine'),
  serverId: ZId('server'),
  hostId: ZId('host'),
  action: z.enum(['quarantine', 'purge']),
  outcome: z.enum(['succeeded', 'failed']),
  /** Directory name under quarantine/ (null: nothing was there to move). */
  location: z.string().max(200).nullable(),
  /** What was moved (or deleted): 'container', 'image'. */
  moved: z.array(z.enum(['container', 'image'])).max(2),
  error: z.string().max(4000).nullable(),
});
export type TQuarantineFinishedEvent = z.infer<typeof ZQuarantineFinishedEvent>;

/** backup.delete@1 (jobId = the backup id; no operation): delete a backup's objects from its target. */
export const ZBackupDeleteJob = z.object({ backupId: ZId('backup'), serverId: ZId('server'), target: ZBackupTargetSpec });
export type TBackupDeleteJob = z.infer<typeof ZBackupDeleteJob>;
export const ZBackupDeletedEvent = z.object({
  backupId: ZId('backup'),
  hostId: ZId('host'),
  outcome: z.enum(['succeeded', 'failed']),
  error: z.string().max(4000).nullable(),
});
export type TBackupDeletedEvent = z.infer<typeof ZBackupDeletedEvent>;

/**
 * One sample per running VPS of a host: cumulative counters (CPU ns, IO and network bytes) and gauges
 * (memory and disk in use). Lossy by design: a lost sample is a gap in a graph, never retried.
 */
export const ZServerSample = z.object({
  serverId: ZId('server'),
  cpuNs: z.number().int().min(0),
  memoryBytes: z.number().int().min(0),
  diskUsedBytes: z.number().int().min(0),
  ioReadBytes: z.number().int().min(0),
  ioWriteBytes: z.number().int().min(0),
  netRxBytes: z.number().int().min(0),
  netTxBytes: z.number().int().min(0),
});
export type TServerSample = z.infer<typeof ZServerSample>;
export const ZHostMetricsEvent = z.object({ hostId: ZId('host'), at: z.string(), samples: z.array(ZServerSample).max(5000) });
export type THostMetricsEvent = z.infer<typeof ZHostMetricsEvent>;

/**
 * What a transfer token says (signed by the panel with Ed25519, checked by the target's agent): the source
 * host may push server `sid` to host `to` for operation `op` until `exp` (unix seconds), and the target
 * starts it only with the spec whose digest is `digest` (specDigest).
 */
export const ZTransferClaims = z.object({
  v: z.literal(1),
  kind: z.literal('transfer'),
  op: ZId('operation'),
  sid: ZId('server'),
  from: ZId('host'),
  to: ZId('host'),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  exp: z.number().int(),
});
export type TTransferClaims = z.infer<typeof ZTransferClaims>;

/** JSON with object keys sorted at every level: the same value always gives the same text (for digests). */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v);
