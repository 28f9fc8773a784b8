import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root; `npm run setup` writes the generated `.env` there. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Parse KEY=VALUE lines (optional double/single quotes); comments and blanks are skipped. */
export const parseDotEnv = (text: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out[m[1]!] = v;
  }
  return out;
};

/** Values from `<repo>/.env` under the real environment: a variable already set always wins. */
export const readEnvSource = (file = path.join(REPO_ROOT, '.env')): Record<string, string | undefined> => ({
  // The panel normally gets its env from `npm start`; the file read is for tools run by hand.
  ...(existsSync(/*turbopackIgnore: true*/ file) ? parseDotEnv(readFileSync(/*turbopackIgnore: true*/ file, 'utf8')) : {}),
  ...process.env,
});
