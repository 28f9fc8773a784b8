// A host going dark: when its agent stops sending heartbeats the host turns offline, its servers show an
// unknown state, placement skips it, and operations for it wait (not lost); when the agent is back the
// host is online again and the waiting operation runs.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type TStack } from './support/stack.ts';
import { apiClient, pollUntil, type TApi } from './support/api.ts';

let stack: TStack;
let api: TApi;

beforeAll(async () => {
  // Heartbeats every 500 ms, offline after 3 s of silence (production: 10 s and 30 s).
  stack = await startStack({ withAgent: true, poolRange: '220-229', env: { AGENT_HEARTBEAT_MS: '500', HOST_OFFLINE_AFTER_MS: '3000' } });
  api = apiClient(stack.baseUrl, stack.adminKey);
}, 180_000);
afterAll(async () => stack?.stop());

it('marks a silent host offline and its servers unknown, keeps their operations, and recovers', async () => {
  const plan = (await api.get('/plans')).body.data.find((p: { name: string }) => p.name === 'nano');
  const template = (await api.get('/templates')).body.data[0];
  const made = await api.post('/servers', { hostname: 'dark.example.com', planId: plan.id, templateId: template.id });
  expect(made.status).toBe(202);
  const id = made.body.server.id as string;
  await pollUntil('running', async () => (await api.get(`/servers/${id}`)).body, (s) => s.status === 'running' && s.hostStatus === 'online', 180_000);

  let stopOp = '';
  await stack.restartAgent(async () => {
    await pollUntil('host offline', async () => (await api.get(`/hosts/${stack.hostId}`)).body.status, (s) => s === 'offline', 30_000);
    expect((await api.get(`/servers/${id}`)).body).toMatchObject({ status: 'running', hostStatus: 'offline' });
    // No placement on a dark host (the only one here).
    const refused = await api.post('/servers', { hostname: 'nowhere.example.com', planId: plan.id, templateId: template.id });
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('no_capacity');
    // An operation for it is accepted and waits.
    const stop = await api.post(`/servers/${id}/actions`, { type: 'stop' });
    expect(stop.status).toBe(202);
    stopOp = stop.body.operation.id;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await api.get(`/operations/${stopOp}`)).body.status).toBe('queued');
  });

  await pollUntil('host online', async () => (await api.get(`/hosts/${stack.hostId}`)).body.status, (s) => s === 'online', 30_000);
  const op = await pollUntil('the waiting stop', async () => (await api.get(`/operations/${stopOp}?wait=30`)).body, (o) => o.status === 'succeeded' || o.status === 'failed', 120_000);
  expect(op.status).toBe('succeeded');
  expect((await api.get(`/servers/${id}`)).body).toMatchObject({ status: 'stopped', hostStatus: 'online' });
}, 300_000);
