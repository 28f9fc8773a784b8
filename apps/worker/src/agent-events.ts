import { UnrecoverableError, Worker, type ConnectionOptions, type Job, type RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { hostEventsQueueName, parseJob, type TJobName } from '@berth/jobs';
import { applyBackupDeleted, applyFinished, applyProgress, applyQuarantineFinished, convergeHost, listHostIds, recordHeartbeat, recordMetrics } from '@berth/core';
import type { TDb } from '@berth/db';
import type { TBackupDeletedEvent, TOperationFinishedEvent, TOperationProgressEvent, THostHeartbeatEvent, THostInventoryEvent, THostMetricsEvent, TQuarantineFinishedEvent } from '@berth/contracts';

type TOptions = {
  db: TDb;
  connection: ConnectionOptions;
  prefix: string;
  log: (m: string) => void;
  /** How often the host list is re-read, so a new host's events are consumed without a restart (ms). */
  refreshMs?: number;
  /** Hours a quarantined orphan is kept before its purge (RECONCILE_PURGE_AFTER_HOURS). */
  purgeAfterHours?: number;
  /** Days a deleted server's backups are kept (BACKUP_KEEP_DELETED_DAYS). */
  keepDeletedBackupsDays?: number;
};

/** Apply one event from `hostId`'s events queue; an event naming another host is a forgery, never retried. */
const handleEvent = async (db: TDb, hostId: string, job: Job, log: (m: string) => void, purgeAfterHours: number, keepDeletedBackupsDays: number) => {
  const { name, data } = parseJob<TJobName>(job.name, job.data);
  const claimed = (data as { hostId?: unknown }).hostId;
  if (claimed !== hostId) {
    log(`rejected ${name} on ${hostEventsQueueName(hostId)}: it claims host ${String(claimed)}`);
    throw new UnrecoverableError(`event for host ${String(claimed)} on the events queue of ${hostId}`);
  }
  switch (name) {
    case 'operation.progress@1':
      return applyProgress({ db, event: data as TOperationProgressEvent });
    case 'operation.finished@1': {
      const event = data as TOperationFinishedEvent;
      log(`operation ${event.operationId} ${event.outcome}${event.error ? `: ${event.error}` : ''}`);
      return applyFinished({ db, event, keepDeletedBackupsDays });
    }
    case 'host.heartbeat@1':
      return recordHeartbeat({ db, event: data as THostHeartbeatEvent });
    case 'host.inventory@1': {
      const event = data as THostInventoryEvent;
      const r = await convergeHost({ db, event });
      if (r.started.length || r.lost.length) log(`host ${event.hostId}: starting ${r.started.length}, lost ${r.lost.length} (${r.lost.join(', ')})`);
      if (r.quarantine.length || r.needsAdmin.length) log(`host ${event.hostId}: orphans to quarantine ${r.quarantine.join(', ') || '-'}; needs an admin ${r.needsAdmin.join(', ') || '-'}`);
      return;
    }
    case 'quarantine.finished@1': {
      const event = data as TQuarantineFinishedEvent;
      log(`${event.action} of ${event.serverId} on ${event.hostId} ${event.outcome}${event.error ? `: ${event.error}` : ''}`);
      return applyQuarantineFinished({ db, event, purgeAfterHours });
    }
    case 'backup.deleted@1': {
      const event = data as TBackupDeletedEvent;
      if (event.outcome === 'failed') log(`deleting backup ${event.backupId} on ${event.hostId} failed: ${event.error}`);
      return applyBackupDeleted({ db, event });
    }
    case 'host.metrics@1':
      await recordMetrics({ db, event: data as THostMetricsEvent });
      return;
    default:
      throw new UnrecoverableError(`job ${name} does not belong on ${hostEventsQueueName(hostId)}`);
  }
};

/**
 * Consume what agents report, one BullMQ Worker per host's events queue (each host's Redis user reaches only
 * its own queues), and write it to Postgres; handlers are idempotent, so redelivery is harmless. The host
 * list is re-read every `refreshMs`: a new host's first events wait in its queue until then, none is lost.
 * Connections: the Workers share one non-blocking client; each has its own blocking one (BullMQ needs it
 * for BZPOPMIN), so N hosts cost N + 1 connections (bench/host-queues.ts: 1000 hosts ~170 MB RSS).
 */
export const startAgentEventsConsumer = ({ db, connection, prefix, log, refreshMs = 5000, purgeAfterHours = 7 * 24, keepDeletedBackupsDays = 30 }: TOptions) => {
  const shared = new Redis({ ...(connection as RedisOptions), maxRetriesPerRequest: null });
  // A Redis outage makes every host's Worker report the same error: one line per 10 s is enough.
  let lastError = 0;
  const onError = (err: Error) => {
    if (Date.now() - lastError < 10_000) return;
    lastError = Date.now();
    log(`agent events: redis ${err.message} (more within 10 s not logged)`);
  };
  shared.on('error', onError);
  const workers = new Map<string, Worker>();
  let closed = false;

  const open = (hostId: string) => {
    const worker = new Worker(hostEventsQueueName(hostId), (job) => handleEvent(db, hostId, job, log, purgeAfterHours, keepDeletedBackupsDays), { connection: shared, prefix, concurrency: 2 });
    worker.on('failed', (job, err) => log(`agent event ${job?.name} of ${hostId} failed: ${err.message}`));
    worker.on('error', onError);
    workers.set(hostId, worker);
  };
  // Work per round is proportional to the number of hosts (one indexed read), never to servers.
  const refresh = async () => {
    const ids = new Set(await listHostIds({ db }));
    if (closed) return;
    for (const id of ids) if (!workers.has(id)) open(id);
    for (const [id, w] of workers) {
      if (ids.has(id)) continue;
      workers.delete(id);
      await w.close();
    }
  };
  let refreshing = refresh().catch((e: unknown) => log(`agent events: host list failed: ${String(e)}`));
  const timer = setInterval(() => {
    refreshing = refreshing.then(refresh).catch((e: unknown) => log(`agent events: host list failed: ${String(e)}`));
  }, refreshMs);

  return {
    /** Hosts whose events are being consumed (after the first refresh). */
    hosts: async () => (await refreshing, [...workers.keys()]),
    close: async () => {
      closed = true;
      clearInterval(timer);
      await refreshing;
      await Promise.all([...workers.values()].map((w) => w.close()));
      await shared.quit();
    },
  };
};
