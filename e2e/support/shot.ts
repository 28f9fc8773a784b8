import path from 'node:path';
import type { Page } from '@playwright/test';
import { REPO_ROOT } from '@berth/config';

/** Where every e2e run leaves its screenshots of the main pages (git-ignored). */
export const SCREENSHOTS = path.join(REPO_ROOT, 'reports/screenshots');

export const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
