import { describe, expect, it } from 'vitest';
import { loadEnv, parseDotEnv, ZAgentEnv, ZWorkerEnv } from './index.ts';

describe('loadEnv', () => {
  it('applies defaults and coerces numbers', () => {
    const env = loadEnv(ZWorkerEnv, {
      DATABASE_URL: 'postgresql://u:p@h:5432/d', REDIS_URL: 'redis://:p@127.0.0.1:6390/0', WORKER_BATCH: '7', SESSION_SECRET: 'k'.repeat(32),
    });
    expect(env).toMatchObject({ BERTH_QUEUE_PREFIX: 'berth', WORKER_SWEEP_MS: 5000, WORKER_BATCH: 7, WEBHOOK_ALLOW_PRIVATE: false });
  });
  it('fails fast with every bad variable named', () => {
    expect(() => loadEnv(ZAgentEnv, { REDIS_URL: 'http://x', BERTH_HOST_ID: 'srv_1' })).toThrow(/REDIS_URL[\s\S]*BERTH_HOST_ID/);
  });
});

describe('parseDotEnv', () => {
  it('reads KEY=VALUE lines, strips quotes, skips comments', () => {
    expect(parseDotEnv('# c\nA=1\nB="two words"\n C = \'3\' \nbad line\n')).toEqual({ A: '1', B: 'two words', C: '3' });
  });
});
