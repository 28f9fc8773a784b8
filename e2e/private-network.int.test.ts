// Opt-in private networking: one tenant's VPSes on a host reach each other only after the tenant opts in,
// live (no reboot), and never another tenant's VPSes. Driven through the public API and the CLI.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '@berth/config';
import { startStack, type TStack } from './support/stack.ts';
import { apiClient, pollUntil, type TApi } from './support/api.ts';
import { newSshKey, ssh } from './support/ssh.ts';

const execFileP = promisify(execFile);
let stack: TStack;
let admin: TApi;
let other: TApi;
let key: { keyFile: string; publicKey: string };

beforeAll(async () => {
  stack = await startStack({ withAgent: true });
  admin = apiClient(stack.baseUrl, stack.adminKey);
  // A second, unrelated customer, made with the admin CLI as an operator would.
  const cli = (...args: string[]) => execFileP(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['scripts/cli/main.ts', ...args], { cwd: REPO_ROOT, env: stack.env });
  await cli('users', 'create', '--email', 'neighbour@berth.test', '--name', 'Neighbour');
  other = apiClient(stack.baseUrl, (await cli('keys', 'create', '--user', 'neighbour@berth.test')).stdout.trim());
  key = newSshKey();
});
afterAll(async () => stack?.stop());

const settle = (api: TApi, id: string) =>
  pollUntil(`operation ${id}`, async () => (await api.get(`/operations/${id}?wait=60`)).body, (o) => o.status === 'succeeded' || o.status === 'failed');

const make = async (api: TApi, hostname: string) => {
  const plan = (await api.get('/plans')).body.data.find((p: { name: string }) => p.name === 'nano');
  const template = (await api.get('/templates')).body.data[0];
  const res = await api.post('/servers', { hostname, planId: plan.id, templateId: template.id, sshKeys: [key.publicKey] });
  expect(res.status).toBe(202);
  expect((await settle(api, res.body.operation.id)).status).toBe('succeeded');
  return res.body.server as { id: string; ipv4: string };
};

/** From inside `from`, does `to` answer a ping? */
const reaches = (from: { ipv4: string }, to: { ipv4: string }) =>
  ssh(key.keyFile, from.ipv4, `ping -c 1 -W 1 ${to.ipv4} >/dev/null && echo yes || echo no`).stdout.trim();

it('lets a tenant opt its own VPSes into one network, live, and keeps strangers out', async () => {
  const [a1, a2, b1] = [await make(admin, 'a1.example.com'), await make(admin, 'a2.example.com'), await make(other, 'b1.example.com')];
  expect([reaches(a1, a2), reaches(a1, b1), reaches(b1, a1)]).toEqual(['no', 'no', 'no']); // isolated by default

  const bootA1 = ssh(key.keyFile, a1.ipv4, 'cut -d" " -f22 /proc/1/stat').stdout;
  const on = await admin.request('PATCH', '/tenant', { privateNetwork: true });
  expect(on.status).toBe(202);
  expect(on.body.tenant.privateNetwork).toBe(true);
  for (const op of on.body.operations) expect((await settle(admin, op.id)).status).toBe('succeeded');
  expect([reaches(a1, a2), reaches(a2, a1)]).toEqual(['yes', 'yes']);
  expect([reaches(a1, b1), reaches(b1, a1), reaches(b1, a2)]).toEqual(['no', 'no', 'no']); // never another tenant
  expect(ssh(key.keyFile, a1.ipv4, 'cut -d" " -f22 /proc/1/stat').stdout).toBe(bootA1); // no reboot

  // A VPS created later joins the tenant's network by itself.
  const a3 = await make(admin, 'a3.example.com');
  expect([reaches(a3, a1), reaches(a1, a3)]).toEqual(['yes', 'yes']);

  const off = await admin.request('PATCH', '/tenant', { privateNetwork: false });
  for (const op of off.body.operations) expect((await settle(admin, op.id)).status).toBe('succeeded');
  expect([reaches(a1, a2), reaches(a3, a1)]).toEqual(['no', 'no']);
});
