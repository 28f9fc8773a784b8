import type { ConnectionOptions } from 'bullmq';
import { createHostQueueCache, jobOptions, type THostQueueCache } from '@berth/jobs';
import type { TPublish, TPublishJob } from '@berth/core';

/** `publish` is what the outbox dispatchers send through; `queues` may be shared with createHostJobs. */
export const createHostQueues = (connection: ConnectionOptions, prefix: string, queues: THostQueueCache = createHostQueueCache(connection, prefix)) => {
  const { queueFor } = queues;
  const publishJob: TPublishJob = async (hostId, name, payload, jobId) => {
    await queueFor(hostId).add(name, payload, jobOptions(name, jobId));
  };
  const publish: TPublish = publishJob;
  return { publish, publishJob, close: queues.close };
};
