import { expect, type APIRequestContext, type Page } from '@playwright/test';

const need = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through playwright.config.ts (its globalSetup sets it)`);
  return v;
};

export const e2eEnv = () => ({
  adminEmail: need('BERTH_E2E_ADMIN_EMAIL'),
  adminPassword: need('BERTH_E2E_ADMIN_PASSWORD'),
  adminKey: process.env.BERTH_E2E_ADMIN_KEY,
});

/** Sign in through the form, as a person would, and wait for the servers page (`base`: another stack's URL). */
export const signIn = async (page: Page, email = e2eEnv().adminEmail, password = e2eEnv().adminPassword, base = '') => {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/servers$/);
  await expect(page.getByRole('heading', { name: 'Servers', level: 1 })).toBeVisible();
};

/** A host name no earlier run has used. */
export const freshHostname = (prefix = 'e2e') => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

type TPlanLite = { id: string; diskGb: number; tenantId: string | null };

/** The catalogue and a server created through the API with the admin key (as a reseller's script would). */
export const createServerViaApi = async (
  request: APIRequestContext,
  hostname: string,
  pickPlan: (plans: TPlanLite[]) => TPlanLite = (plans) => plans[0]!,
) => {
  const headers = { authorization: `Bearer ${e2eEnv().adminKey}` };
  const [plans, templates] = await Promise.all([
    request.get('/api/v1/plans', { headers }).then((r) => r.json()),
    request.get('/api/v1/templates', { headers }).then((r) => r.json()),
  ]);
  // The admin sees resellers' private plans too (other specs add some); its own tenant orders public ones.
  const publicPlans = (plans.data as TPlanLite[]).filter((p) => p.tenantId === null);
  const created = await request.post('/api/v1/servers', { headers, data: { hostname, planId: pickPlan(publicPlans).id, templateId: templates.data[0].id } });
  expect(created.status()).toBe(202);
  return { server: (await created.json()).server as { id: string }, plans: publicPlans };
};
