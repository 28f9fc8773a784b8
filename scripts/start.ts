// npm start — panel, worker and this host's agent in the foreground, with prefixed logs.
// Ctrl-C (or SIGTERM) stops all three cleanly; if one dies, the others are stopped too.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { REPO_ROOT, parseDotEnv } from '@berth/config';
import { readFileSync } from 'node:fs';

const envFile = path.join(REPO_ROOT, '.env');
if (!existsSync(envFile)) {
  console.error('No .env found: run `npm run setup` first.');
  process.exit(1);
}
// The real environment wins over .env, as in every process's loadEnv.
const env: Record<string, string | undefined> = { ...parseDotEnv(readFileSync(envFile, 'utf8')), ...process.env, FORCE_COLOR: '1' };
const tsx = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
if (!existsSync(path.join(REPO_ROOT, 'apps/panel/.next/BUILD_ID'))) {
  console.error('The panel is not built: run `npm run setup` (it runs next build).');
  process.exit(1);
}

// The panel gets a larger young generation: fewer old-space GC pauses in API latency (see bench:api).
const services: [string, string, string[], string, Record<string, string>?][] = [
  ['panel ', tsx, ['serve.ts'], path.join(REPO_ROOT, 'apps/panel'), { NODE_OPTIONS: '--max-semi-space-size=64' }],
  ['worker', tsx, ['apps/worker/src/main.ts'], REPO_ROOT],
  // The agent logs in to Redis as its host's own user (setup makes it), which reaches only its own queues.
  ['agent ', tsx, ['agent/src/main.ts'], REPO_ROOT, env.AGENT_REDIS_URL ? { REDIS_URL: env.AGENT_REDIS_URL } : undefined],
];
const colors = ['\x1b[36m', '\x1b[35m', '\x1b[33m'];
const children: ChildProcess[] = [];
let stopping = false;

const stopAll = (why: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`[start] ${why}: stopping all services`);
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  // Anything still alive after 15 s is killed, so no orphan is left behind.
  setTimeout(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')), 15_000).unref();
};

services.forEach(([name, cmd, args, cwd, extraEnv], i) => {
  const child = spawn(cmd, args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const prefix = `${colors[i]}${name}\x1b[0m |`;
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => console.log(`${prefix} ${line}`));
  }
  child.on('exit', (code, signal) => {
    console.log(`${prefix} exited (${signal ?? code})`);
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(stopping ? 0 : 1);
    stopAll(`${name.trim()} exited`);
  });
});

process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));
