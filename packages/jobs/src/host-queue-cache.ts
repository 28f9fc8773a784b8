import { Queue, type ConnectionOptions } from 'bullmq';
import { hostQueueName } from './queues.ts';

export type THostQueueCache = { queueFor: (hostId: string) => Queue; close: () => Promise<void> };

/** One BullMQ Queue per host, opened on first use and shared by whoever publishes to or inspects host queues. */
export const createHostQueueCache = (connection: ConnectionOptions, prefix: string): THostQueueCache => {
  const queues = new Map<string, Queue>();
  return {
    queueFor: (hostId) => {
      let q = queues.get(hostId);
      if (!q) {
        q = new Queue(hostQueueName(hostId), { connection, prefix });
        queues.set(hostId, q);
      }
      return q;
    },
    close: async () => {
      const open = [...queues.values()];
      queues.clear();
      await Promise.all(open.map((q) => q.close()));
    },
  };
};
