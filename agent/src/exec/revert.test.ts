import { describe, expect, it } from 'vitest';
import { revert } from './revert.ts';

describe('revert', () => {
  it('undoes in reverse order when success() is not reached', async () => {
    const log: string[] = [];
    await expect(
      (async () => {
        const r = revert();
        try {
          r.add(() => log.push('undo a'));
          r.add(async () => log.push('undo b'));
          throw new Error('step c failed');
        } finally {
          await r.fail();
        }
      })(),
    ).rejects.toThrow('step c failed');
    expect(log).toEqual(['undo b', 'undo a']);
  });

  it('does nothing after success()', async () => {
    const log: string[] = [];
    const r = revert();
    try {
      r.add(() => log.push('undo'));
      r.success();
    } finally {
      await r.fail();
    }
    expect(log).toEqual([]);
  });

  it('runs every undo even when one throws, and only once', async () => {
    const log: string[] = [];
    const errors: unknown[] = [];
    const r = revert((e) => errors.push(e));
    r.add(() => log.push('first'));
    r.add(() => {
      throw new Error('undo broke');
    });
    r.add(() => log.push('last'));
    await r.fail();
    await r.fail();
    expect(log).toEqual(['last', 'first']);
    expect(errors).toHaveLength(1);
  });
});
