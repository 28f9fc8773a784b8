import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { hostEventsQueueName, hostQueueName, jobOptions, parseJob, redisConnection } from './queues.ts';
import { JOBS, SERVER_JOB_BY_OPERATION } from './catalog.ts';

describe('parseJob', () => {
  it('throws UnrecoverableError for an unknown name or a bad payload, so BullMQ never retries it', () => {
    expect(() => parseJob('server.explode@1', {})).toThrow(UnrecoverableError);
    expect(() => parseJob('server.create@1', { operationId: 'op_x' })).toThrow(UnrecoverableError);
  });
  it('returns the parsed payload of a valid job', () => {
    const ev = { hostId: 'host_abcdefgh', at: new Date().toISOString(), agentVersion: '1', containers: 3 };
    expect(parseJob('host.heartbeat@1', ev).data).toEqual(ev);
  });
});

describe('catalog', () => {
  it('names every job name@version and maps every operation type to a server job', () => {
    for (const name of Object.keys(JOBS)) expect(name).toMatch(/^[a-z]+\.[a-z]+@\d+$/);
    for (const name of Object.values(SERVER_JOB_BY_OPERATION)) expect(JOBS[name]).toBeDefined();
  });
  it('uses the operation id as jobId and bounds history', () => {
    const o = jobOptions('server.create@1', 'op_abc');
    expect(o).toMatchObject({ jobId: 'op_abc', attempts: JOBS['server.create@1'].attempts });
    expect(o.removeOnComplete).toBeTruthy();
  });
});

describe('redisConnection', () => {
  it('parses password, port and db from the URL', () => {
    expect(redisConnection('redis://:s3cr%40t@127.0.0.1:6390/2')).toMatchObject({ host: '127.0.0.1', port: 6390, password: 's3cr@t', db: 2, maxRetriesPerRequest: null });
  });
});

describe('queue names', () => {
  it("gives each host a job queue and an events queue, both under the host's own name", () => {
    expect(hostQueueName('host_abc123')).toBe('host-host_abc123');
    expect(hostEventsQueueName('host_abc123')).toBe('host-host_abc123-events');
  });
});
