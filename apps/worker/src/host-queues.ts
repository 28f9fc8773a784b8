import { Queue } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import { hostQueueName, jobOptions } from '@berth/jobs';
import type { TPublish, TPublishJob } from '@berth/core';

/** One BullMQ Queue per host, opened on first use; `publish` is what the outbox dispatchers send through. */
export const createHostQueues = (connection: ConnectionOptions, prefix: string) => {
  const queues = new Map<string, Queue>();
  const queueFor = (hostId: string) => {
    let q = queues.get(hostId);
    if (!q) {
      q = new Queue(hostQueueName(hostId), { connection, prefix });
      queues.set(hostId, q);
    }
    return q;
  };
  const publishJob: TPublishJob = async (hostId, name, payload, jobId) => {
    await queueFor(hostId).add(name, payload, jobOptions(name, jobId));
  };
  const publish: TPublish = publishJob;
  const close = async () => {
    await Promise.all([...queues.values()].map((q) => q.close()));
  };
  return { publish, publishJob, close };
};
