import type { TBackupTarget, THost } from '@berth/contracts';
import { formatDate } from '../format.ts';
import { BackupTargetAdd } from './backup-target-add.tsx';

type TProps = { targets: TBackupTarget[]; hosts: Pick<THost, 'id' | 'name'>[] };

/** Admins: where hosts write their servers' backups, and a form to add one. */
export function BackupTargetsSection({ targets, hosts }: TProps) {
  const names = new Map(hosts.map((h) => [h.id, h.name]));
  return (
    <section className="card stack-sm" aria-labelledby="backup-targets-title">
      <h2 id="backup-targets-title">Backup targets</h2>
      <p className="hint">Each host writes its servers&apos; backups to the one it is attached to (under each host above). Hosts sharing a target can restore each other&apos;s backups.</p>
      {targets.length === 0 ? <p className="muted">No backup targets yet: servers cannot be backed up.</p> : (
        <div className="table-card">
          <table className="table" aria-label="Backup targets">
            <thead><tr><th scope="col">Name</th><th scope="col">Directory</th><th scope="col">Hosts</th><th scope="col">Added</th></tr></thead>
            <tbody>
              {targets.map((t) => (
                <tr key={t.id}>
                  <td className="strong">{t.name}</td>
                  <td className="mono">{t.spec.path}</td>
                  <td className="wrap">{t.hostIds.length ? t.hostIds.map((id) => names.get(id) ?? id).join(', ') : <span className="muted">none</span>}</td>
                  <td className="muted">{formatDate(t.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <BackupTargetAdd />
    </section>
  );
}
