import { Worker, type ConnectionOptions } from 'bullmq';
import { AGENT_EVENTS_QUEUE, parseJob, type TJobName } from '@berth/jobs';
import { applyFinished, applyProgress, reconcileHostInventory, recordHeartbeat, recordMetrics } from '@berth/core';
import type { TDb } from '@berth/db';
import type { TOperationFinishedEvent, TOperationProgressEvent, THostHeartbeatEvent, THostInventoryEvent, THostMetricsEvent } from '@berth/contracts';

type TOptions = { db: TDb; connection: ConnectionOptions; prefix: string; log: (m: string) => void };

/** Consume what agents report and write it to Postgres; handlers are idempotent, so redelivery is harmless. */
export const startAgentEventsConsumer = ({ db, connection, prefix, log }: TOptions) => {
  const worker = new Worker(
    AGENT_EVENTS_QUEUE,
    async (job) => {
      const { name, data } = parseJob<TJobName>(job.name, job.data);
      switch (name) {
        case 'operation.progress@1':
          return applyProgress({ db, event: data as TOperationProgressEvent });
        case 'operation.finished@1': {
          const event = data as TOperationFinishedEvent;
          log(`operation ${event.operationId} ${event.outcome}${event.error ? `: ${event.error}` : ''}`);
          return applyFinished({ db, event });
        }
        case 'host.heartbeat@1':
          return recordHeartbeat({ db, event: data as THostHeartbeatEvent });
        case 'host.inventory@1': {
          const event = data as THostInventoryEvent;
          const { started, lost } = await reconcileHostInventory({ db, event });
          if (started.length || lost.length) log(`host ${event.hostId} came back: starting ${started.length}, lost ${lost.length} (${lost.join(', ')})`);
          return;
        }
        case 'host.metrics@1':
          await recordMetrics({ db, event: data as THostMetricsEvent });
          return;
        default:
          throw new Error(`job ${name} does not belong on ${AGENT_EVENTS_QUEUE}`);
      }
    },
    { connection, prefix, concurrency: 8 },
  );
  worker.on('failed', (job, err) => log(`agent event ${job?.name} failed: ${err.message}`));
  return { close: () => worker.close() };
};
