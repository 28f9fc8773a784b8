import type { TBackup, TBackupSchedule, TPlan, TServer, TServerStatus, TSnapshot } from '@berth/contracts';
import { BackupNow } from './backup-now.tsx';
import { BackupScheduleForm } from './backup-schedule-form.tsx';
import { BackupTable } from './backup-table.tsx';
import { heldBackups, heldSnapshots } from './backup-format.tsx';
import { SnapshotTable } from './snapshot-table.tsx';
import { SnapshotTake } from './snapshot-take.tsx';

type TProps = {
  server: Pick<TServer, 'id' | 'hostname' | 'status' | 'rescue'>;
  /** The server's plan (its snapshot and backup limits); undefined if the catalog no longer shows it. */
  plan: TPlan | undefined;
  /** Plans a restore to a new server may use. */
  plans: TPlan[];
  snapshots: TSnapshot[];
  backups: TBackup[];
  schedule: TBackupSchedule;
  /** An operation is queued or running on the server: the API would refuse another. */
  busy: boolean;
};

/**
 * Why the API would refuse an operation on the server now, or null. Mirrors core's allowed-from lists and
 * the rescue rule so buttons say why they are off; the API stays the judge and its answer is shown as is.
 */
export const blockedReason = (server: TProps['server'], busy: boolean, allowed: readonly TServerStatus[]) => {
  if (busy) return 'Another operation is in progress.';
  if (server.rescue) return 'The server is in rescue mode: leave it first.';
  if (!allowed.includes(server.status)) return `Not while the server is ${server.status}.`;
  return null;
};

/** Snapshots (on the host, for quick rollbacks), backups (on the backup target) and their daily schedule. */
export function BackupsArea({ server, plan, plans, snapshots, backups, schedule, busy }: TProps) {
  const deleted = server.status === 'deleted';
  const gone = deleted || server.status === 'deleting';
  const block = (allowed: readonly TServerStatus[]) => blockedReason(server, busy, allowed);
  return (
    <div className="stack" role="region" aria-label="Snapshots & backups">
      {!gone && (
        <section className="card stack-sm" aria-labelledby="snapshots-title">
          <h2 id="snapshots-title">Snapshots</h2>
          <p className="hint">Points on the server&apos;s own host to roll back to in seconds, e.g. before an upgrade. They are not backups: they go if the host fails.</p>
          <SnapshotTake serverId={server.id} held={heldSnapshots(snapshots)} limit={plan?.maxSnapshots ?? null} blocked={block(['running', 'stopped'])} />
          <SnapshotTable hostname={server.hostname} snapshots={snapshots} blocked={block(['running', 'stopped', 'error'])}
            deleteBlocked={block(['running', 'stopped', 'error', 'suspended'])} />
        </section>
      )}
      <section className="card stack-sm" aria-labelledby="backups-title">
        <h2 id="backups-title">Backups</h2>
        <p className="hint">Compressed copies of the disk on separate backup storage: restore onto this server, or to a new one{deleted ? ' (this server was deleted; its backups are kept for a while)' : ''}.</p>
        {!gone && <BackupNow serverId={server.id} held={heldBackups(backups)} limit={plan?.maxBackups ?? null} blocked={block(['running', 'stopped'])} />}
        <BackupTable hostname={server.hostname} backups={backups} plans={plans}
          blocked={deleted ? 'The server was deleted: restore to a new server.' : block(['running', 'stopped', 'error'])}
          verifyBlocked={deleted ? 'The server was deleted: a backup is verified on its server\'s host.' : blockedReason({ ...server, rescue: false }, busy, ['running', 'stopped', 'error'])} />
      </section>
      {!gone && (
        <section className="card stack-sm" aria-labelledby="schedule-title">
          <h2 id="schedule-title">Backup schedule</h2>
          <BackupScheduleForm schedule={schedule} />
        </section>
      )}
    </div>
  );
}
