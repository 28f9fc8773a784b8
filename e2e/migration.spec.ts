// Moving servers between hosts in the browser, on a stack with a single host (no real migration here: the
// rig's integration tests move VPSes). The move is refused in its form, evacuating the only host drains
// it and lists its servers as not placed, and a host pool form explains an unknown host id next to the field.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { reportSucceeded } from './support/agent-report.ts';
import { e2eEnv, freshHostname, signIn } from './support/session.ts';
import { shot } from './support/shot.ts';

const adminHeaders = () => ({ authorization: `Bearer ${e2eEnv().adminKey}` });
const NO_OTHER_HOST = "No other online host on the server's IPv4 pool has room for its plan right now.";

// Servers a test made: removed after it, pass or fail, so the host's disk and addresses go back for the other specs.
const ours: { id: string; hostId: string }[] = [];

/** A server ordered through the API that the (absent) agent has reported running. */
const runningServer = async (request: APIRequestContext, prefix: string) => {
  const headers = adminHeaders();
  const plans = (await (await request.get('/api/v1/plans', { headers })).json()).data.filter((p: { tenantId: string | null }) => p.tenantId === null);
  const templates = (await (await request.get('/api/v1/templates', { headers })).json()).data;
  const hostname = freshHostname(prefix);
  const made = await request.post('/api/v1/servers', { headers, data: { hostname, planId: plans[0].id, templateId: templates[0].id } });
  expect(made.status()).toBe(202);
  const { server, operation } = await made.json();
  const { hostId } = await (await request.get(`/api/v1/servers/${server.id}`, { headers })).json();
  ours.push({ id: server.id, hostId });
  await reportSucceeded({ serverId: server.id, hostId, operationId: operation.id });
  await expect.poll(async () => (await (await request.get(`/api/v1/servers/${server.id}`, { headers })).json()).status).toBe('running');
  return { id: server.id as string, hostname, hostId: hostId as string };
};

test.afterEach(async ({ request }) => {
  for (const s of ours.splice(0)) {
    const res = await request.delete(`/api/v1/servers/${s.id}`, { headers: adminHeaders() });
    expect(res.status()).toBe(202);
    await reportSucceeded({ serverId: s.id, hostId: s.hostId, operationId: (await res.json()).operation.id, state: 'absent' });
  }
});

// The stack's own host: the one set up by the seed, not added over SSH (e2e/hosts.spec.ts adds some that never come up).
const onlyHost = async (request: APIRequestContext) => {
  const hosts = (await (await request.get('/api/v1/hosts', { headers: adminHeaders() })).json()).data as { id: string; name: string; lastInstall: unknown }[];
  const seeded = hosts.filter((h) => h.lastInstall === null);
  expect(seeded).toHaveLength(1);
  return seeded[0]!;
};

test('an admin asks to move a server when no other host shares its pool: refused in the form, nothing queued', async ({ page, request }) => {
  const server = await runningServer(request, 'move');
  await signIn(page);
  await page.goto(`/servers/${server.id}`);
  const form = page.getByRole('form', { name: 'Move to another host' });
  const destination = form.getByLabel(/^Destination/);
  await expect(destination).toHaveValue('');
  await expect(destination.locator('option')).toHaveText(['Any suitable host']);
  await expect(form).toContainText("No other host shares this server's IPv4 pool yet");
  await form.getByRole('button', { name: 'Move server' }).click();
  await expect(form.getByRole('alert')).toHaveText(NO_OTHER_HOST);
  await shot(page, 'server-move-refused');
  // The refusal queued nothing: the latest operation is still the create, and the server still runs.
  await page.reload();
  await expect(page.getByTestId('operation')).toContainText('Create');
  await expect(page.getByTestId('operation-status')).toHaveText('succeeded');
  await expect(page.getByRole('heading', { name: server.hostname, level: 1 })).toBeVisible();
  const after = await (await request.get(`/api/v1/servers/${server.id}`, { headers: adminHeaders() })).json();
  expect(after).toMatchObject({ status: 'running', hostId: server.hostId });
});

test('evacuating the only host drains it and reports its server as not placed, with the reason', async ({ page, request }) => {
  const server = await runningServer(request, 'evac');
  const host = await onlyHost(request);
  await signIn(page);
  await page.goto('/admin');
  const section = page.getByRole('region', { name: `Host ${host.name}` });
  try {
    await section.getByRole('button', { name: 'Evacuate' }).click();
    const dialog = page.getByRole('dialog', { name: `Evacuate ${host.name}?` });
    await expect(dialog.getByRole('button', { name: 'Evacuate host' })).toBeDisabled();
    await dialog.getByLabel(/^Type .* to confirm$/).fill(host.name);
    await dialog.getByRole('button', { name: 'Evacuate host' }).click();
    const result = section.getByRole('status', { name: `Evacuation of ${host.name}` });
    await expect(result).toContainText('0 migrations queued.');
    const unplaced = result.getByRole('list', { name: 'Servers not placed' }).getByRole('listitem').filter({ hasText: server.id });
    await expect(unplaced).toContainText(NO_OTHER_HOST);
    await expect(section.locator('.badge-host-maintenance')).toHaveText('maintenance');
    await shot(page, 'admin-host-evacuated');
    // Its server stayed where it was, running.
    await unplaced.getByRole('link', { name: server.id }).click();
    await expect(page.getByRole('heading', { name: server.hostname, level: 1 })).toBeVisible();
    await expect(page.getByTestId('operation')).toContainText('Create');
  } finally {
    // The other specs need the host in service.
    await request.patch(`/api/v1/hosts/${host.id}`, { headers: adminHeaders(), data: { status: 'online' } });
  }
  await page.goto('/admin');
  await expect(section.locator('.badge-host-online')).toHaveText('online');
});

test('a host pool shows the hosts on its segment; adding an unknown or malformed host id is explained next to the field', async ({ page, request }) => {
  const host = await onlyHost(request);
  await signIn(page);
  await page.goto('/admin');
  const section = page.getByRole('region', { name: `Host ${host.name}` });
  const pool = section.getByRole('group', { name: /^IPv4 pool / }).first();
  await expect(pool).toContainText(`Hosts on this segment (servers move between them keeping their address): ${host.name}`);
  const form = pool.getByRole('form', { name: /^Add a host to / });
  const field = form.getByLabel('Host ID');
  await field.fill('host_nosuchhost0000');
  await form.getByRole('button', { name: 'Add to pool' }).click();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.field-error')).toHaveText('No host has the id host_nosuchhost0000.');
  await shot(page, 'admin-pool-unknown-host');
  await field.fill('not-a-host');
  await form.getByRole('button', { name: 'Add to pool' }).click();
  await expect(form.locator('.field-error')).toHaveText('Must be a host_ id.');
  // The host already on it: accepted (a no-op), and the error goes.
  await field.fill(host.id);
  await form.getByRole('button', { name: 'Add to pool' }).click();
  await expect(field).not.toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveValue('');
  await expect(pool).toContainText(host.name);
});
