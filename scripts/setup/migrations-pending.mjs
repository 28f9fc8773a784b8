// Exit 0 when some migration in prisma/migrations is not applied yet (so setup only then pays for
// `prisma migrate deploy`, whose process lingers ~10 s after its work), 1 when all are applied.
import { readdirSync } from 'node:fs';
import pg from 'pg';

const dirs = readdirSync('prisma/migrations', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
await c.connect();
try {
  const { rows } = await c.query(
    `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  ).catch(() => ({ rows: [] }));
  const done = new Set(rows.map((r) => r.migration_name));
  process.exit(dirs.every((d) => done.has(d)) ? 1 : 0);
} finally {
  await c.end().catch(() => {});
}
