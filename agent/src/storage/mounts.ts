import { readFile } from 'node:fs/promises';
import path from 'node:path';

export type TMount = { target: string; source: string; fstype: string };

// mountinfo escapes space, tab, newline and backslash as octal.
const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** The host's mount table (our own mount namespace, which is the host's: the agent is not containerized). */
export const listMounts = async (): Promise<TMount[]> => {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [pre, post = ''] = line.split(' - ');
      const f = pre!.split(' ');
      const [fstype = '', source = ''] = post.split(' ');
      return { target: unescape(f[4] ?? ''), source: unescape(source), fstype };
    });
};

/** The mount on exactly this path (the topmost one if stacked), or undefined. */
export const findMount = async (target: string): Promise<TMount | undefined> =>
  (await listMounts()).filter((m) => m.target === path.resolve(target)).at(-1);

export const isMounted = async (target: string) => (await findMount(target)) !== undefined;
