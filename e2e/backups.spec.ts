// Snapshots, backups and rescue mode on the server page, in Chromium against a stack with a real agent and
// VPS. A customer on a plan allowing one snapshot takes it by name and sees it ready, is refused a second one
// next to the field, rolls back (asked first) and finds the file written since gone; backs the VPS up and
// sees the backup's sizes, verifies it; sets a daily schedule and sees its next run; boots the rescue system, finds the
// disk at /mnt over SSH, and leaves rescue mode. Admins see each host's backup target and add targets.
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createBerthClient } from '@berth/client';
import { keyByLogin, makeTenantUser } from './support/accounts.ts';
import { apiClient, pollUntil, type TApi } from './support/api.ts';
import { signIn } from './support/session.ts';
import { SCREENSHOTS, shot } from './support/shot.ts';
import { newSshKey, ssh } from './support/ssh.ts';
import { startStack, type TStack } from './support/stack.ts';

// One VPS for the whole file, made before the first test: each test builds on the one before.
test.describe.configure({ mode: 'serial' });

let stack: TStack;
let admin: TApi;
let who: { email: string; password: string };
let server: { id: string; hostname: string; ipv4: string };
const key = newSshKey();
const HOSTNAME = 'keepsafe.example.com';

const openServer = async (page: Page) => {
  await signIn(page, who.email, who.password, stack.baseUrl);
  await page.goto(`${stack.baseUrl}/servers/${server.id}`);
  await expect(page.getByTestId('live')).toHaveAttribute('data-state', 'live');
};

/** The latest operation on the page has finished with every step done and the server running again. */
const expectFinished = async (page: Page, verb: string, timeout = 180_000) => {
  const op = page.getByTestId('operation');
  await expect(op.locator('strong')).toHaveText(verb);
  await expect(page.getByTestId('operation-status')).toHaveText('succeeded', { timeout });
  const steps = page.getByRole('list', { name: `${verb} steps` }).getByRole('listitem');
  for (const step of await steps.all()) await expect(step).toHaveClass(/step-done/);
  await expect(page.getByTestId('server-status')).toHaveText('running');
};

const sshOut = (command: string) => {
  const r = ssh(key.keyFile, server.ipv4, command);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
};

test.beforeAll(async () => {
  test.setTimeout(300_000);
  stack = await startStack({ withAgent: true });
  admin = apiClient(stack.baseUrl, stack.adminKey);
  // A public plan like nano that holds one snapshot and two manual backups: the limit is reached in one step.
  const nano = (await admin.get('/plans')).body.data.find((p: { name: string }) => p.name === 'nano');
  const plan = await admin.post('/plans', {
    name: 'nano-one-snapshot', cpuCores: nano.cpuCores, memoryMb: nano.memoryMb, swapMb: nano.swapMb, diskGb: nano.diskGb,
    priceCentsMonthly: nano.priceCentsMonthly, maxSnapshots: 1, maxBackups: 2,
  });
  expect(plan.status, JSON.stringify(plan.body)).toBe(201);
  who = await makeTenantUser(createBerthClient({ baseUrl: stack.baseUrl, apiKey: stack.adminKey }), { role: 'customer', tenantName: 'backups ui' });
  const me = apiClient(stack.baseUrl, (await keyByLogin(stack.baseUrl, who.email, who.password, { scopes: ['servers:read', 'servers:write'] })).key);
  const template = (await me.get('/templates')).body.data[0];
  const made = await me.post('/servers', { hostname: HOSTNAME, planId: plan.body.id, templateId: template.id, sshKeys: [key.publicKey] });
  expect(made.status, JSON.stringify(made.body)).toBe(202);
  const s = await pollUntil('the VPS running', async () => (await me.get(`/servers/${made.body.server.id}`)).body,
    (x: { id: string; hostname: string; ipv4: string; status: string }) => x.status === 'running' || x.status === 'error', 240_000);
  expect(s.status).toBe('running');
  server = { id: s.id, hostname: s.hostname, ipv4: s.ipv4 };
  await pollUntil('SSH', async () => ssh(key.keyFile, server.ipv4, 'true').status, (st) => st === 0, 60_000);
});
test.afterAll(async () => stack?.stop());

test('a snapshot taken by name becomes ready; the plan\'s limit is explained next to the field; rolling back asks, then restores the disk', async ({ page }) => {
  test.setTimeout(240_000);
  sshOut('echo before > /root/note && sync');
  await openServer(page);
  const snapshots = page.getByRole('region', { name: 'Snapshots', exact: true });
  const form = snapshots.getByRole('form', { name: 'Take snapshot' });
  await expect(form.getByTestId('snapshot-quota')).toContainText('0 of 1 snapshots (plan limit)');
  await form.getByLabel('Snapshot name').fill('before-upgrade');
  await form.getByRole('button', { name: 'Take snapshot' }).click();
  const row = snapshots.getByRole('table', { name: 'Snapshots' }).getByRole('row').filter({ hasText: 'before-upgrade' });
  await expect(row.getByTestId('item-status')).toHaveText('ready', { timeout: 60_000 });
  await expect(row).toContainText(/\d+(\.\d)? (KB|MB|GB)/);
  await expect(form.getByTestId('snapshot-quota')).toContainText('1 of 1 snapshots (plan limit)');
  await expect(form.getByLabel('Snapshot name')).toHaveValue('');

  // A second one is beyond the plan: refused, with the API's words next to the name field.
  await expect(form.getByRole('button', { name: 'Take snapshot' })).toBeEnabled();
  await form.getByLabel('Snapshot name').fill('one-too-many');
  await form.getByRole('button', { name: 'Take snapshot' }).click();
  const field = form.getByLabel('Snapshot name');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('.field-error')).toHaveText("This server's plan allows 1 snapshots; delete one first.");
  await expect(snapshots.getByRole('table', { name: 'Snapshots' }).getByRole('row')).toHaveCount(2); // header + one

  // Written after the snapshot: the rollback takes it away.
  sshOut('echo after > /root/note && sync');
  await row.getByRole('button', { name: 'Roll back' }).click();
  const dialog = page.getByRole('dialog', { name: `Roll ${HOSTNAME} back to before-upgrade?` });
  await expect(dialog).toContainText('Every change made on the disk since then is lost.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await row.getByRole('button', { name: 'Roll back' }).click();
  await shot(page, 'snapshot-rollback-confirm', false);
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  await expectFinished(page, 'Roll back to snapshot');
  await pollUntil('SSH after the rollback', async () => ssh(key.keyFile, server.ipv4, 'true').status, (st) => st === 0, 60_000);
  expect(sshOut('cat /root/note')).toBe('before');
});

test('a full backup becomes ready with its sizes; a daily schedule shows its next run', async ({ page }) => {
  test.setTimeout(240_000);
  await openServer(page);
  const backups = page.getByRole('region', { name: 'Backups', exact: true });
  const form = backups.getByRole('form', { name: 'Back up now' });
  await expect(form.getByTestId('backup-quota')).toContainText('0 of 2 manual backups (plan limit)');
  await form.getByRole('radio', { name: 'Full' }).check();
  await form.getByRole('button', { name: 'Back up now' }).click();
  const row = backups.getByRole('table', { name: 'Backups' }).getByRole('row').nth(1);
  await expect(row).toContainText('Full');
  await expect(row).toContainText('Manual');
  await expect(row.getByTestId('item-status')).toHaveText('ready', { timeout: 180_000 });
  await expect(row.getByTestId('backup-stored')).toHaveText(/^\d+(\.\d)? (KB|MB|GB)$/);
  await expect(row.getByTestId('backup-data')).toHaveText(/^\d+(\.\d)? (MB|GB)$/);
  await expect(page.getByTestId('operation-status')).toHaveText('succeeded');
  await expect(page.getByTestId('server-status')).toHaveText('running');
  await expect(form.getByTestId('backup-quota')).toContainText('1 of 2 manual backups (plan limit)');
  // Verify reads it back from the target and checks every chunk; the server runs on.
  await expect(row.getByTestId('backup-verified')).toHaveCount(0);
  await row.getByRole('button', { name: 'Verify' }).click();
  await expectFinished(page, 'Verify backup');
  await expect(row.getByTestId('backup-verified')).toContainText(/verified \d{4}-\d\d-\d\d/);

  const schedule = page.getByRole('form', { name: 'Backup schedule' });
  await expect(schedule.getByTestId('schedule-next-run')).toHaveText('Daily backups are off.');
  // Nothing kept is refused by the API, next to the field.
  await schedule.getByLabel('Back up daily').check();
  await schedule.getByLabel('Hour (UTC)').selectOption('5');
  await schedule.getByLabel('Keep daily').fill('0');
  await schedule.getByLabel('Keep weekly').fill('0');
  await schedule.getByRole('button', { name: 'Save schedule' }).click();
  await expect(schedule.getByLabel('Keep daily')).toHaveAttribute('aria-invalid', 'true');
  await expect(schedule.locator('#schedule-keepDaily-error')).toContainText(/keep at least one backup/i);
  await schedule.getByLabel('Keep daily').fill('3');
  await schedule.getByLabel('Keep weekly').fill('2');
  await schedule.getByRole('button', { name: 'Save schedule' }).click();
  await expect(schedule.getByRole('status')).toHaveText('Schedule saved.');
  await expect(schedule.getByTestId('schedule-next-run')).toHaveText(/^Next run \d{4}-\d\d-\d\d 05:00 UTC$/);
  await expect(schedule.getByTestId('schedule-next-verify')).toHaveText(/^Newest backup verified next \d{4}-\d\d-\d\d \d\d:00 UTC$/); // within a week after the first run
  await shot(page, 'server-snapshots-backups');
  await page.getByRole('region', { name: 'Snapshots & backups' }).screenshot({ path: path.join(SCREENSHOTS, 'snapshots-backups-area.png') });
});

test('the rescue system boots with the disk at /mnt and a banner on the page; leaving it boots the server\'s own system', async ({ page }) => {
  test.setTimeout(300_000);
  await openServer(page);
  const rescue = page.getByRole('region', { name: 'Rescue', exact: true });
  await rescue.getByRole('button', { name: 'Boot rescue system' }).click();
  const dialog = page.getByRole('dialog', { name: `Boot ${HOSTNAME} into the rescue system?` });
  await expect(dialog).toContainText('Its disk is mounted at /mnt');
  await expect(dialog).toContainText(`ssh root@${server.ipv4}`);
  await dialog.getByRole('button', { name: 'Boot rescue system' }).click();
  await expectFinished(page, 'Boot rescue system');
  const banner = page.getByRole('region', { name: 'Rescue mode' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('its disk is mounted at /mnt');
  await expect(rescue).toHaveCount(0);
  // Snapshots wait until the server leaves rescue mode: the buttons say why.
  await expect(page.getByRole('form', { name: 'Take snapshot' })).toContainText('The server is in rescue mode: leave it first.');
  await pollUntil('SSH into the rescue system', async () => ssh(key.keyFile, server.ipv4, 'true').status, (st) => st === 0, 60_000);
  expect(sshOut('cat /mnt/root/note')).toBe('before');
  await shot(page, 'server-rescue-mode');

  await banner.getByRole('button', { name: 'Leave rescue mode' }).click();
  await expectFinished(page, 'Leave rescue mode');
  await expect(banner).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Rescue', exact: true }).getByRole('button', { name: 'Boot rescue system' })).toBeEnabled();
  await pollUntil('SSH after rescue', async () => ssh(key.keyFile, server.ipv4, 'true').status, (st) => st === 0, 60_000);
  expect(sshOut('test ! -e /mnt/root/note && cat /root/note')).toBe('before');
});

test('a backup restored onto the server (the hostname typed) brings a deleted file back; restored to a new server, it comes up with the same files and host key', async ({ page }) => {
  test.setTimeout(300_000);
  const hostKey = sshOut('cat /etc/ssh/ssh_host_ed25519_key.pub');
  sshOut('rm /root/note && sync');
  await openServer(page);
  const backups = page.getByRole('region', { name: 'Backups', exact: true });
  const row = backups.getByRole('table', { name: 'Backups' }).getByRole('row').nth(1);
  await row.getByRole('button', { name: 'Restore', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Restore ${HOSTNAME} from this backup?` });
  await expect(dialog.getByRole('button', { name: 'Restore' })).toBeDisabled(); // until the hostname is typed
  await dialog.getByLabel(`Type ${HOSTNAME} to confirm`).fill(HOSTNAME);
  await dialog.getByRole('button', { name: 'Restore' }).click();
  await expectFinished(page, 'Restore from backup');
  await pollUntil('SSH after the restore', async () => ssh(key.keyFile, server.ipv4, 'true').status, (st) => st === 0, 60_000);
  expect(sshOut('cat /root/note')).toBe('before');

  // The same backup as a new server: ordered from the dialog, then its own page follows it up.
  await row.getByRole('button', { name: 'Restore to a new server' }).click();
  const order = page.getByRole('form', { name: 'Restore to a new server' });
  await order.getByLabel('Hostname').fill('twin.example.com');
  await order.getByRole('button', { name: 'Create server' }).click();
  await page.waitForURL((u) => /^\/servers\/srv_[0-9a-z]+$/.test(u.pathname) && !u.pathname.endsWith(server.id));
  const twinId = page.url().split('/').pop()!;
  await expect(page.getByTestId('server-status')).toHaveText('running', { timeout: 240_000 });
  const twin = (await admin.get(`/servers/${twinId}`)).body as { hostname: string; ipv4: string };
  expect(twin.hostname).toBe('twin.example.com');
  expect(twin.ipv4).not.toBe(server.ipv4);
  await pollUntil('SSH into the new server', async () => ssh(key.keyFile, twin.ipv4, 'true').status, (st) => st === 0, 60_000);
  const onTwin = (cmd: string) => ssh(key.keyFile, twin.ipv4, cmd).stdout.trim();
  expect(onTwin('cat /root/note')).toBe('before');
  expect(onTwin('cat /etc/ssh/ssh_host_ed25519_key.pub')).toBe(hostKey);
  expect(onTwin('hostname')).toBe('twin.example.com');
  await shot(page, 'server-restored-from-backup');
  expect((await admin.del(`/servers/${twinId}`)).status).toBe(202);

  // Back on the first server: its snapshot deleted (asked first) frees the plan's one place.
  await page.goto(`${stack.baseUrl}/servers/${server.id}`);
  const snapshots = page.getByRole('region', { name: 'Snapshots', exact: true });
  await snapshots.getByRole('row').filter({ hasText: 'before-upgrade' }).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete snapshot before-upgrade?' }).getByRole('button', { name: 'Delete snapshot' }).click();
  await expect(snapshots.getByTestId('snapshot-quota')).toContainText('0 of 1 snapshots (plan limit)', { timeout: 60_000 });
  await expect(snapshots.getByText('No snapshots yet.')).toBeVisible();
});

test('admins see each host\'s backup target, add a target (a bad path is explained next to the field) and attach it', async ({ page }) => {
  const dir = await mkdtemp('/var/tmp/berth-e2e-target-');
  try {
    await signIn(page, stack.adminEmail, stack.adminPassword, stack.baseUrl);
    await page.goto(`${stack.baseUrl}/admin`);
    const host = (await admin.get(`/hosts/${stack.hostId}`)).body as { id: string; name: string };
    const local = ((await admin.get('/backup-targets')).body.data as { name: string; spec: { path: string } }[]).find((t) => t.name === 'local')!;
    const hostForm = page.getByRole('form', { name: `Backup target of ${host.name}` });
    await expect(hostForm).toContainText('Backups go to: local');
    const section = page.getByRole('region', { name: 'Backup targets' });
    await expect(section.getByRole('table', { name: 'Backup targets' }).getByRole('row').filter({ hasText: 'local' })).toContainText(host.name);

    const add = section.getByRole('form', { name: 'Add a backup target' });
    await add.getByLabel('Name').fill('e2e-extra');
    await add.getByLabel('Directory').fill('relative/dir');
    await add.getByRole('button', { name: 'Add target' }).click();
    await expect(add.getByLabel('Directory')).toHaveAttribute('aria-invalid', 'true');
    await expect(add.locator('#target-path-error')).toHaveText('An absolute path.');
    await add.getByLabel('Directory').fill(dir);
    await add.getByRole('button', { name: 'Add target' }).click();
    await expect(add.getByRole('status')).toContainText('e2e-extra added');
    const extra = section.getByRole('table', { name: 'Backup targets' }).getByRole('row').filter({ hasText: 'e2e-extra' });
    await expect(extra).toContainText(dir);
    await expect(extra).toContainText('none');
    // The same name again: refused next to the name.
    await add.getByLabel('Name').fill('e2e-extra');
    await add.getByLabel('Directory').fill(dir);
    await add.getByRole('button', { name: 'Add target' }).click();
    await expect(add.locator('#target-name-error')).toHaveText('Already taken.');

    await hostForm.getByLabel('Attach to').selectOption({ label: `e2e-extra (${dir})` });
    await hostForm.getByRole('button', { name: 'Attach' }).click();
    await expect(hostForm).toContainText(`Backups go to: e2e-extra ${dir}`);
    await expect(extra).toContainText(host.name);
    await shot(page, 'admin-backup-targets');
    // Back to the stack's own target, as it was.
    await hostForm.getByLabel('Attach to').selectOption({ label: `local (${local.spec.path})` });
    await hostForm.getByRole('button', { name: 'Attach' }).click();
    await expect(hostForm).toContainText('Backups go to: local');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
