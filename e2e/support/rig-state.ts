// What a rig made, on disk next to it, so that a later run can tear down what a killed one left behind.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type TRigHostState = { name: string; netns: string; mntns: string; dir: string; lxcPath: string };
export type TRigState = {
  dir: string;
  /** The process that owns the rig (pid and kernel start time, so a reused pid is not mistaken for it). */
  owner: { pid: number; start: string };
  /** When the rig was made (ms since the epoch): bounds the sweep of failed starts' cgroups. */
  createdAt: number;
  hosts: TRigHostState[];
  forwarderPid?: number;
};

export const RIG_DIR_PREFIX = '/tmp/berth-rig-';
const file = (dir: string) => path.join(dir, 'state.json');

export const writeState = (s: TRigState) => writeFileSync(file(s.dir), `${JSON.stringify(s, null, 2)}\n`);

export const readState = (dir: string): TRigState | undefined => {
  try {
    return JSON.parse(readFileSync(file(dir), 'utf8')) as TRigState;
  } catch {
    return undefined;
  }
};

/** Field 22 of /proc/PID/stat (start time in ticks): with the pid, it names one process for good. */
export const processStart = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
};

export const ownerAlive = (s: TRigState) => processStart(s.owner.pid) === s.owner.start;

/** The command line of a pid, or '' (gone): checked before killing a recorded pid. */
export const cmdline = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
};
