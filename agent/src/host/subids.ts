import { readFile, writeFile } from 'node:fs/promises';

/** 15000 slots of 65536 ids from 1000000: the panel allocates uidBase = 1000000 + slot * 65536. */
export const SUBID_START = 1_000_000;
export const SUBID_COUNT = 15_000 * 65_536;
const ENTRY = `root:${SUBID_START}:${SUBID_COUNT}`;

/** Add root's delegated range to /etc/subuid and /etc/subgid (LXC's newuidmap checks it); keeps other lines. */
export const ensureSubIds = async (): Promise<void> => {
  for (const file of ['/etc/subuid', '/etc/subgid']) {
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e)));
    if (text.split('\n').some((l) => l.trim() === ENTRY)) continue;
    await writeFile(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${ENTRY}\n`);
  }
};

/** True when the VPS's idmap lies inside the delegated range (else LXC would fail with an opaque error). */
export const idmapDelegated = (uidBase: number, count: number) =>
  uidBase >= SUBID_START && uidBase + count <= SUBID_START + SUBID_COUNT;
