import { defineConfig } from 'vitest/config';

// unit: pure logic, fast, parallel. integration (*.int.test.ts): real Postgres, Redis and LXC, one file at a time.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['{packages,apps,agent,scripts,prisma}/**/*.test.ts'], exclude: ['**/*.int.test.ts', '**/node_modules/**'] } },
      {
        test: {
          name: 'integration',
          include: ['{packages,apps,agent,scripts,prisma,e2e}/**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
