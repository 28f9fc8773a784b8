// Bad input through the public API: every case is a 4xx problem+json with a stable code, and nothing is created.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TStack } from './support/stack.ts';
import { apiClient, type TApi } from './support/api.ts';

let stack: TStack;
let api: TApi;
let planId: string;
let templateId: string;
let sshKey: string;

beforeAll(async () => {
  stack = await startStack({ withAgent: false });
  api = apiClient(stack.baseUrl, stack.adminKey);
  planId = (await api.get('/plans')).body.data[0].id;
  templateId = (await api.get('/templates')).body.data[0].id;
  const dir = mkdtempSync(path.join(tmpdir(), 'berth-key-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id')]);
  sshKey = readFileSync(path.join(dir, 'id.pub'), 'utf8').trim();
});
afterAll(async () => stack?.stop());

const expectProblem = (res: { status: number; type: string; body: any }, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.type).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String) });
};

describe('authentication', () => {
  it('rejects a missing key', async () => expectProblem(await apiClient(stack.baseUrl).get('/servers'), 401, 'unauthorized'));
  it('rejects a malformed key', async () => expectProblem(await apiClient(stack.baseUrl, 'nope').get('/servers'), 401, 'unauthorized'));
  it('rejects a well-formed key with a wrong secret', async () => {
    const forged = stack.adminKey.slice(0, -4) + (stack.adminKey.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expectProblem(await apiClient(stack.baseUrl, forged).get('/servers'), 401, 'unauthorized');
  });
});

describe('POST /servers validation', () => {
  const body = () => ({ hostname: 'ok.example.com', planId, templateId, sshKeys: [sshKey] });

  it('unknown plan and template name the fields', async () => {
    const res = await api.post('/servers', { ...body(), planId: 'plan_doesnotexist', templateId: 'tpl_doesnotexist' });
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.errors.map((e: any) => e.path).sort()).toEqual(['planId', 'templateId']);
  });
  it('bad hostname', async () => {
    const res = await api.post('/servers', { ...body(), hostname: 'bad_host!' });
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'hostname' })]);
  });
  it('malformed ssh key', async () => {
    const res = await api.post('/servers', { ...body(), sshKeys: ['ssh-ed25519 AAAAnotakey user@x'] });
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.errors[0].path).toBe('sshKeys.0');
  });
  it('short root password', async () => expectProblem(await api.post('/servers', { ...body(), rootPassword: 'x' }), 422, 'validation_failed'));
  it('broken JSON', async () => expectProblem(await api.post('/servers', '{"hostname":'), 400, 'bad_request'));
  it('wrong content type', async () =>
    expectProblem(await api.post('/servers', 'hostname=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type'));
  it('created nothing', async () => expect((await api.get('/servers')).body.data).toEqual([]));
});

describe('other endpoints', () => {
  it('unknown server and operation are 404', async () => {
    expectProblem(await api.get('/servers/srv_doesnotexist00'), 404, 'not_found');
    expectProblem(await api.get('/operations/op_doesnotexist00'), 404, 'not_found');
    expectProblem(await api.post('/servers/srv_doesnotexist00/actions', { type: 'start' }), 404, 'not_found');
    expectProblem(await api.del('/servers/srv_doesnotexist00'), 404, 'not_found');
  });
  it('unknown action type is 422', async () =>
    expectProblem(await api.post('/servers/srv_doesnotexist00/actions', { type: 'explode' }), 422, 'validation_failed'));
  it('bad list query is 422', async () => expectProblem(await api.get('/servers?limit=0'), 422, 'validation_failed'));
  it('unknown path is a problem+json 404', async () => expectProblem(await api.get('/nothing/here'), 404, 'not_found'));
});

describe('NUL bytes (Postgres text cannot hold them)', () => {
  it('are a 400 in queries and bodies and a 422 at sign-in, never a 500', async () => {
    expectProblem(await api.get('/audit-events?targetId=%00'), 400, 'bad_request');
    expectProblem(await api.post('/tenants', { name: 'a\u0000b' }), 400, 'bad_request');
    const login = await fetch(`${stack.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a\u0000@b.c', password: 'x' }) });
    expect(login.status).toBe(422);
    expect(login.headers.get('content-type')).toContain('application/problem+json');
  });
});
