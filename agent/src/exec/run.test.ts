import { describe, expect, it } from 'vitest';
import { CommandError, run, succeeds } from './run.ts';

describe('run', () => {
  it('passes arguments verbatim, never through a shell', async () => {
    const { stdout } = await run('printf', ['%s|', 'a b', '$(id)', ';rm -rf /']);
    expect(stdout).toBe('a b|$(id)|;rm -rf /|');
  });

  it('throws CommandError with cmd, args, exit code and stderr', async () => {
    const err = await run('sh', ['-c', 'echo oops >&2; exit 3']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect(err).toMatchObject({ cmd: 'sh', exitCode: 3, stderr: 'oops\n' });
    expect((err as CommandError).args).toEqual(['-c', 'echo oops >&2; exit 3']);
  });

  it('feeds stdin, accepts extra ok codes, kills on timeout, reports a missing binary', async () => {
    expect((await run('cat', [], { input: 'hello' })).stdout).toBe('hello');
    expect((await run('sh', ['-c', 'exit 1'], { okCodes: [0, 1] })).exitCode).toBe(1);
    await expect(run('sleep', ['5'], { timeoutMs: 100 })).rejects.toThrow(/SIGKILL/);
    expect(await succeeds('/nonexistent/binary')).toBe(false);
  });
});
