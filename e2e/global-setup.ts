import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@berth/config';
import { startStack, type TStack } from './support/stack.ts';

declare global {
  // Shared with global-teardown.ts, which runs in this same runner process.
  var __berthE2eStack: TStack | undefined;
}

/**
 * Start a private stack without the agent (the smoke test must not need LXC). Set BERTH_E2E_BASE_URL,
 * BERTH_E2E_ADMIN_EMAIL and BERTH_E2E_ADMIN_PASSWORD beforehand to run against a stack you already have.
 */
export default async function globalSetup() {
  if (process.env.BERTH_E2E_BASE_URL) return;
  if (!existsSync(path.join(REPO_ROOT, 'apps/panel/.next/BUILD_ID'))) {
    throw new Error('The panel is not built: run `npx next build` in apps/panel first (the stack serves it with apps/panel/serve.ts).');
  }
  // The specs sign in through the form dozens of times a minute from one address (limits are tested in
  // e2e/api-behaviour.int.test.ts).
  const stack = await startStack({ withAgent: false, env: { LOGIN_LIMIT_PER_IP: '1000', LOGIN_LIMIT_PER_ACCOUNT: '1000' } });
  globalThis.__berthE2eStack = stack;
  process.env.BERTH_E2E_BASE_URL = stack.baseUrl;
  process.env.BERTH_E2E_ADMIN_EMAIL = stack.adminEmail;
  process.env.BERTH_E2E_ADMIN_PASSWORD = stack.adminPassword;
  process.env.BERTH_E2E_ADMIN_KEY = stack.adminKey;
  // For specs that must set up what only time makes (an ended month's invoice) through core, as the worker would.
  process.env.BERTH_E2E_DATABASE_URL = stack.env.DATABASE_URL;
}
