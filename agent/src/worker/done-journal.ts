import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TServerState } from '@berth/contracts';

/** What a succeeded job left and produced for the panel (a backup's digest and sizes), kept to report it again. */
export type TDone = { state: TServerState; result?: Record<string, string | number> };

/**
 * Operations that already succeeded on this host. BullMQ redelivers a job whose agent died after reporting
 * success but before the job was marked complete; run again, a restore or rollback would put the old disk back
 * over what the customer wrote since, and a backup would rewrite a pack its incrementals point into. A job
 * whose operation is here is answered from here instead.
 */
export type TDoneJournal = {
  /** `key`: doneKey(operationId, job name). */
  get(key: string): Promise<TDone | null>;
  put(key: string, done: TDone): Promise<void>;
  /** Forget entries older than `maxAgeMs` (a job is redelivered within minutes, not days); returns how many. */
  sweep(maxAgeMs: number): Promise<number>;
};

/** An operation's job: one job per operation in practice; the name keeps a stray reuse of an id apart. */
export const doneKey = (operationId: string, jobName: string) => `${operationId}-${jobName.replace(/[^a-z0-9]/g, '_')}`;
const checkKey = (key: string) => {
  if (!/^op_[0-9a-z]{6,40}-[a-z0-9_]{1,60}$/.test(key)) throw new Error(`bad done-journal key ${key}`);
  return key;
};

/** One small file per operation under `dir` (written whole, then renamed: a crash leaves none or all of it). */
export const fileDoneJournal = (dir: string): TDoneJournal => {
  const file = (id: string) => path.join(dir, `${checkKey(id)}.json`);
  return {
    async get(id) {
      const text = await readFile(file(id), 'utf8').catch(() => null);
      if (text === null) return null;
      try {
        const done = JSON.parse(text) as TDone;
        return typeof done.state === 'string' ? done : null;
      } catch {
        return null; // unreadable: run the job again rather than report something made up
      }
    },
    async put(id, done) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // On disk before the success is reported: a power loss must not leave an empty entry (the job would run again).
      const fh = await open(`${file(id)}.tmp`, 'w', 0o600);
      try {
        await fh.writeFile(JSON.stringify(done));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(`${file(id)}.tmp`, file(id));
      const d = await open(dir, 'r');
      await d.sync().finally(() => d.close());
    },
    async sweep(maxAgeMs) {
      const names = await readdir(dir).catch(() => [] as string[]);
      let n = 0;
      for (const name of names) {
        const p = path.join(dir, name);
        const st = await stat(p).catch(() => null);
        if (st && Date.now() - st.mtimeMs > maxAgeMs) {
          await rm(p, { force: true });
          n++;
        }
      }
      return n;
    },
  };
};

/** The same in memory, for unit tests of the control flow. */
export const memoryDoneJournal = (): TDoneJournal => {
  const m = new Map<string, TDone>();
  return {
    get: async (id) => m.get(id) ?? null,
    put: async (id, done) => void m.set(id, done),
    sweep: async () => 0,
  };
};
