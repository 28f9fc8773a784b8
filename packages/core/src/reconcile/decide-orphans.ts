import type { ServerStatus } from '@berth/db';

export type TOwnerRow = { id: string; hostId: string; status: ServerStatus };
export type TFound = 'running' | 'stopped' | 'image';
export type TFinding = { serverId: string; found: TFound; kind: 'quarantine' | 'needs_admin'; reason: string };

type TOptions = {
  hostId: string;
  /** Containers the host reported (absent ones are the power-state side's business). */
  containers: { serverId: string; state: 'running' | 'stopped' }[];
  /** Disk images with no container. */
  images: string[];
  /** Server rows of those ids (missing = no row). */
  rows: Map<string, TOwnerRow>;
  /** Servers with an active operation, or one that ended after the report was taken: left alone. */
  busy: Set<string>;
  /** Containers with no owner mark (or all, from an older agent): an admin decides instead of a quarantine. */
  unmarked: Set<string> | 'all';
};

/**
 * What reconciliation does with each container or disk image on a host that its server row does not
 * account for. Pure: the caller loads rows and writes findings. Quarantine never deletes (the agent moves
 * the data aside; it is purged after a grace period); whatever might be the only copy of a customer's data
 * goes to an admin instead.
 */
export const decideOrphans = ({ hostId, containers, images, rows, busy, unmarked }: TOptions): TFinding[] => {
  const out: TFinding[] = [];
  const consider = (serverId: string, found: TFound) => {
    if (busy.has(serverId)) return;
    const row = rows.get(serverId);
    const unowned = found !== 'image' && (unmarked === 'all' || unmarked.has(serverId));
    const add = (kind: TFinding['kind'], reason: string) => out.push(unowned && kind === 'quarantine'
      ? { serverId, found, kind: 'needs_admin', reason: `${reason}; it has no owner mark (older agent, or another agent sharing this machine): not touched` }
      : { serverId, found, kind, reason });
    const what = found === 'image' ? 'disk image' : 'container';
    if (!row) return add('quarantine', `a ${what} with no server row`);
    if (row.hostId === hostId) {
      if (row.status === 'deleted') return add('quarantine', `a ${what} of a deleted server`);
      if (row.status === 'deleting') return add('quarantine', `a ${what} of a server being deleted whose destroy failed`);
      // Its own server, but the container config is gone: the disk may be all that is left of it.
      if (found === 'image') add('needs_admin', `server is ${row.status} here but has only a disk image, no container`);
      return;
    }
    // The row places it elsewhere: normally a copy a migration left behind, stopped.
    if (found === 'running') return add('needs_admin', `runs here but the server lives on host ${row.hostId} (possibly the live copy)`);
    if (row.status === 'deleted') return add('quarantine', `a stale ${what} of a deleted server (it lived on host ${row.hostId})`);
    if (row.status === 'error') return add('needs_admin', `a ${what} of a server in error on host ${row.hostId}: this may be its only copy`);
    add('quarantine', `a stale ${what}: the server lives on host ${row.hostId} (left by a migration)`);
  };
  for (const c of containers) consider(c.serverId, c.state);
  for (const id of images) consider(id, 'image');
  return out;
};
