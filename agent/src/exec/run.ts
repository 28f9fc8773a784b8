import { spawn } from 'node:child_process';

/** A subprocess that failed; keeps everything needed to understand it from a log line. */
export class CommandError extends Error {
  constructor(
    readonly cmd: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly stdout: string,
    readonly signal: NodeJS.Signals | null = null,
  ) {
    const why = signal ? `killed by ${signal}` : `exit ${exitCode}`;
    super(`${cmd} ${args.join(' ')}: ${why}${stderr.trim() ? `: ${stderr.trim().slice(-2000)}` : ''}`);
    this.name = 'CommandError';
  }
}

export type TRunOptions = {
  /** Written to the child's stdin, then closed. */
  input?: string | Buffer;
  /** Kill the child (SIGKILL) after this many ms; the error then names the signal. */
  timeoutMs?: number;
  /** Exit codes that count as success (default [0]); e.g. e2fsck exits 1 after fixing something. */
  okCodes?: readonly number[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
};

export type TRunResult = { stdout: string; stderr: string; exitCode: number };

/**
 * Run a program with an argument vector, never through a shell, so spec values can never be parsed as
 * shell syntax. Resolves with its output, or rejects with a CommandError.
 */
export const run = (cmd: string, args: readonly string[] = [], opts: TRunOptions = {}): Promise<TRunResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: opts.env, // undefined: the child inherits the agent's environment
      cwd: opts.cwd,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new CommandError(cmd, args, null, e.message, ''));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code !== null && (opts.okCodes ?? [0]).includes(code)) resolve({ stdout, stderr, exitCode: code });
      else reject(new CommandError(cmd, args, code, stderr, stdout, signal));
    });
    // A child that exits without reading stdin gives EPIPE; its exit code tells the real story.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });

/** Run and return true on success, false on a CommandError (for probes such as "does X exist?"). */
export const succeeds = async (cmd: string, args: readonly string[] = [], opts: TRunOptions = {}) =>
  run(cmd, args, opts).then(
    () => true,
    (e: unknown) => {
      if (e instanceof CommandError) return false;
      throw e;
    },
  );
