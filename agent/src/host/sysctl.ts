import { readFile, writeFile } from 'node:fs/promises';

/**
 * Host kernel limits that many VPSes share. inotify instances are counted per owner of each user namespace,
 * i.e. root for every VPS: at the default 128 the 17th systemd fails to start ("Too many open files") with
 * no output. The ARP table must hold a neighbour per VPS on the bridge. Only ever raised, never lowered.
 */
const MINIMUMS: Record<string, number> = {
  'fs/inotify/max_user_instances': 1_048_576,
  'fs/inotify/max_user_watches': 1_048_576,
  'fs/inotify/max_queued_events': 1_048_576,
  'net/ipv4/neigh/default/gc_thresh1': 2_048,
  'net/ipv4/neigh/default/gc_thresh2': 8_192,
  'net/ipv4/neigh/default/gc_thresh3': 16_384,
  'vm/max_map_count': 262_144,
};

export const ensureSysctls = async (): Promise<void> => {
  for (const [key, min] of Object.entries(MINIMUMS)) {
    const file = `/proc/sys/${key}`;
    // A host in a network namespace (the test rig) has no neigh/default/gc_thresh*: the kernel-wide values apply.
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
    if (text === null) continue;
    const now = Number(text.trim());
    if (now < min) await writeFile(file, `${min}\n`);
  }
};
