export * from './catalog.ts';
export * from './queues.ts';
export * from './host-jobs.ts';
export * from './host-queue-cache.ts';
