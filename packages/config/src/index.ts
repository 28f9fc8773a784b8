import type { z } from 'zod';
import { readEnvSource } from './dotenv.ts';

export * from './schemas.ts';
export { REPO_ROOT, parseDotEnv } from './dotenv.ts';

/** Parse the environment once at boot; a bad or missing variable stops the process with a clear list. */
export const loadEnv = <S extends z.ZodType>(schema: S, source = readEnvSource()): z.infer<S> => {
  const r = schema.safeParse(source);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid environment (run \`npm run setup\` or set these):\n${lines}`);
  }
  return r.data;
};
