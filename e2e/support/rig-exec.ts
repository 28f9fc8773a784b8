// Subprocess helpers of the test rig: async (the rig's callers poll APIs meanwhile), errors keep stderr.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export type TExecResult = { code: number; stdout: string; stderr: string };
export type TExecOptions = { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; stdinFile?: string; input?: string };

/** Run a command to its end; a non-zero exit is returned, not thrown (callers assert on it). */
export const exec = (cmd: string, args: string[], o: TExecOptions = {}): Promise<TExecResult> =>
  new Promise((resolve, reject) => {
    const stdin = o.stdinFile ? openSync(o.stdinFile, 'r') : o.input !== undefined ? 'pipe' : 'ignore';
    const c = spawn(cmd, args, { env: o.env, cwd: o.cwd, stdio: [stdin, 'pipe', 'pipe'], timeout: o.timeoutMs ?? 120_000 });
    if (typeof stdin === 'number') closeSync(stdin); // the child has its own copy
    if (o.input !== undefined) c.stdin!.end(o.input);
    let stdout = '';
    let stderr = '';
    c.stdout!.on('data', (d: Buffer) => (stdout += d));
    c.stderr!.on('data', (d: Buffer) => (stderr += d));
    c.on('error', reject);
    c.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr: signal ? `${stderr}killed by ${signal}` : stderr }));
  });

/** Run a command that must succeed. */
export const must = async (cmd: string, args: string[], o: TExecOptions = {}): Promise<TExecResult> => {
  const r = await exec(cmd, args, o);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r;
};

/** Best effort (teardown): failures are expected when the thing is already gone. */
export const tryRun = (cmd: string, args: string[], o: TExecOptions = {}) => exec(cmd, args, o).catch(() => undefined);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `check` until it holds; an error it throws ends the wait at once. */
export const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`rig: timed out waiting for ${what}`);
};
