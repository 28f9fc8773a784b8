import { describe, expect, it } from 'vitest';
import { decideOrphans, type TOwnerRow } from './decide-orphans.ts';

const HERE = 'host_here0001';
const THERE = 'host_there001';
const rows = (...r: TOwnerRow[]) => new Map(r.map((x) => [x.id, x]));
const decide = (containers: { serverId: string; state: 'running' | 'stopped' }[], images: string[], owners: Map<string, TOwnerRow>, busy: string[] = [], unmarked: Set<string> | 'all' = new Set()) =>
  decideOrphans({ hostId: HERE, containers, images, rows: owners, busy: new Set(busy), unmarked }).map((f) => `${f.serverId}:${f.found}:${f.kind}`);

describe('decideOrphans', () => {
  it('leaves servers that belong here, busy ones, and anything whose data may be the only copy to an admin', () => {
    const owners = rows(
      { id: 'srv_own', hostId: HERE, status: 'running' },
      { id: 'srv_del', hostId: HERE, status: 'deleted' },
      { id: 'srv_dlg', hostId: HERE, status: 'deleting' },
      { id: 'srv_mig', hostId: THERE, status: 'running' },
      { id: 'srv_err', hostId: THERE, status: 'error' },
      { id: 'srv_gon', hostId: THERE, status: 'deleted' },
    );
    expect(decide([
      { serverId: 'srv_own', state: 'running' }, { serverId: 'srv_none', state: 'stopped' }, { serverId: 'srv_del', state: 'running' },
      { serverId: 'srv_dlg', state: 'stopped' }, { serverId: 'srv_mig', state: 'stopped' }, { serverId: 'srv_err', state: 'stopped' },
      { serverId: 'srv_gon', state: 'stopped' }, { serverId: 'srv_busy', state: 'stopped' },
    ], [], owners, ['srv_busy'])).toEqual([
      'srv_none:stopped:quarantine', 'srv_del:running:quarantine', 'srv_dlg:stopped:quarantine', 'srv_mig:stopped:quarantine',
      'srv_err:stopped:needs_admin', 'srv_gon:stopped:quarantine',
    ]);
  });

  it('never stops a copy that runs on a host the panel does not place it on: an admin decides', () => {
    expect(decide([{ serverId: 'srv_mig', state: 'running' }], [], rows({ id: 'srv_mig', hostId: THERE, status: 'running' }))).toEqual(['srv_mig:running:needs_admin']);
  });

  it('disk images without a container: a stray one is quarantined, its own server\'s goes to an admin', () => {
    const owners = rows({ id: 'srv_own', hostId: HERE, status: 'stopped' }, { id: 'srv_mig', hostId: THERE, status: 'stopped' });
    expect(decide([], ['srv_own', 'srv_mig', 'srv_none'], owners)).toEqual(['srv_own:image:needs_admin', 'srv_mig:image:quarantine', 'srv_none:image:quarantine']);
  });

  it('an unmarked container (older agent, or another agent sharing the machine) is never quarantined', () => {
    const owners = rows({ id: 'srv_del', hostId: HERE, status: 'deleted' });
    expect(decide([{ serverId: 'srv_none', state: 'stopped' }, { serverId: 'srv_del', state: 'stopped' }], [], owners, [], new Set(['srv_none'])))
      .toEqual(['srv_none:stopped:needs_admin', 'srv_del:stopped:quarantine']);
    expect(decide([{ serverId: 'srv_del', state: 'stopped' }], [], owners, [], 'all')).toEqual(['srv_del:stopped:needs_admin']);
  });
});
