import { loadEnv, ZPanelEnv, type TPanelEnv } from '@berth/config';
import { createDb, type TDb } from '@berth/db';

// Built on first use (not at import) so `next build` needs no database; cached across hot reloads.
const g = globalThis as unknown as { __berthPanel?: { env: TPanelEnv; db: TDb } };

export const panel = (): { env: TPanelEnv; db: TDb } => {
  if (!g.__berthPanel) {
    const env = loadEnv(ZPanelEnv);
    g.__berthPanel = { env, db: createDb(env.DATABASE_URL) };
  }
  return g.__berthPanel;
};
