// Live views: the server page and the list follow changes made elsewhere (an API call, the worker) through
// the panel's event stream (Postgres NOTIFY -> /api/live), without a reload; and the list's filters.
import { expect, test } from '@playwright/test';
import { createServerViaApi, e2eEnv, freshHostname, signIn } from './support/session.ts';
import { shot } from './support/shot.ts';

const adminHeaders = () => ({ authorization: `Bearer ${e2eEnv().adminKey}` });

test('an open server page follows a rename made through the API, without a reload', async ({ page, request }) => {
  const { server } = await createServerViaApi(request, freshHostname('live'));
  await signIn(page);
  await page.goto(`/servers/${server.id}`);
  // Once the stream is up the page polls only once a minute, so anything sooner came through the stream.
  await expect(page.getByTestId('live')).toHaveAttribute('data-state', 'live');
  // A full reload would drop this marker; a live re-render keeps it.
  await page.evaluate(() => Object.assign(window, { berthMarker: true }));
  const renamed = freshHostname('live-renamed');
  const res = await request.patch(`/api/v1/servers/${server.id}`, { headers: adminHeaders(), data: { hostname: renamed } });
  expect(res.status()).toBe(200);
  await expect(page.getByRole('heading', { name: renamed, level: 1 })).toBeVisible({ timeout: 15_000 });
  expect(await page.evaluate(() => 'berthMarker' in window)).toBe(true);
});

test('the open servers list shows a server ordered through the API as it is placed', async ({ page, request }) => {
  await signIn(page);
  await expect(page.getByTestId('live')).toHaveAttribute('data-state', 'live');
  const hostname = freshHostname('live-new');
  await createServerViaApi(request, hostname);
  await expect(page.getByRole('table', { name: 'Servers' }).getByRole('row').filter({ hasText: hostname })).toContainText('provisioning', { timeout: 15_000 });
});

test('the event stream refuses a stranger and bad ids with problem+json', async ({ request, page }) => {
  const anonymous = await request.get('/api/live?servers=srv_abcdef1');
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()['content-type']).toContain('application/problem+json');
  await signIn(page);
  const bad = await page.request.get('/api/live?servers=not-an-id');
  expect(bad.status()).toBe(422);
  expect((await bad.json()).code).toBe('validation_failed');
});

test('an admin filters all servers by status and tenant; a malformed filter is explained next to its field', async ({ page, request }) => {
  const hostname = freshHostname('filter');
  const { server } = await createServerViaApi(request, hostname);
  const tenantId = (await (await request.get(`/api/v1/servers/${server.id}`, { headers: adminHeaders() })).json()).tenantId as string;
  await signIn(page);
  const filters = page.getByRole('form', { name: 'Filter servers' });
  await filters.getByLabel('Status').selectOption('provisioning');
  await filters.getByLabel('Tenant ID').fill(tenantId);
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/status=provisioning/);
  await expect(page.getByRole('table', { name: 'Servers' })).toContainText(hostname);
  await shot(page, 'servers-filtered');

  await filters.getByLabel('Status').selectOption('stopped');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('heading', { name: 'No servers match' })).toBeVisible();

  await page.goto('/servers?tenantId=nonsense');
  await expect(page.getByLabel('Tenant ID')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#f-tenant-error')).toContainText('ten_');
  await page.goto('/servers?cursor=garbage');
  await expect(page.getByText('The cursor is not valid.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Servers', level: 1 })).toBeVisible();
});
