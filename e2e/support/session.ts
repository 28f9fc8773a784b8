import { expect, type Page } from '@playwright/test';

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

/** Sign in through the form, as a person would, and wait for the servers page. */
export const signIn = async (page: Page, email = e2eEnv().adminEmail, password = e2eEnv().adminPassword) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/servers$/);
  await expect(page.getByRole('heading', { name: 'Servers', level: 1 })).toBeVisible();
};

/** A host name no earlier run has used. */
export const freshHostname = (prefix = 'e2e') => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
