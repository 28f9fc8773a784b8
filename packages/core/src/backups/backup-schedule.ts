import { createHash } from 'node:crypto';
import type { TPutBackupScheduleRequest } from '@berth/contracts';
import type { TDb } from '@berth/db';
import type { TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { findVisibleServer } from './find-visible-server.ts';
import { nextRunAt } from './next-run-at.ts';
import { toScheduleDto } from './to-backup-dto.ts';

const HOUR_MS = 3_600_000;
const VERIFY_AFTER_BACKUP_MS = 2 * HOUR_MS;
/** 0-167 whole hours from the server id: the same server always gets the same place in the week. */
const verifySpreadMs = (serverId: string) => (createHash('sha256').update(serverId).digest().readUInt32BE(0) % 168) * HOUR_MS;

type TGet = { db: TDb; principal: TPrincipal; serverId: string };
type TPut = TGet & { input: TPutBackupScheduleRequest; now?: Date };

export const getBackupSchedule = async ({ db, principal, serverId }: TGet) => {
  await findVisibleServer({ db, principal, serverId, scope: 'servers:read', permission: 'view' });
  return toScheduleDto(serverId, await db.backupSchedule.findUnique({ where: { serverId } }));
};

/** Set (or switch off) the server's daily backups and their retention; the first run is the next hourUtc. */
export const putBackupSchedule = async ({ db, principal, serverId, input, now = new Date() }: TPut) => {
  const server = await findVisibleServer({ db, principal, serverId, scope: 'servers:write', permission: 'backup' });
  if (input.enabled && ['deleting', 'deleted'].includes(server.status)) throw new AppError('invalid_state', `Cannot schedule backups of a server that is ${server.status}.`);
  if (input.enabled && !server.host.backupTargetId) throw new AppError('invalid_state', 'This server\'s host has no backup target; an admin must attach one.');
  const first = input.enabled ? nextRunAt(input.hourUtc, now) : null;
  // The first verify follows the first backup, within a week spread by server (verifications of servers backed up
  // at the same hour do not all land at once, nor, a period later, again); a schedule changed while on keeps its date.
  const verifyAfterFirst = first && new Date(first.getTime() + VERIFY_AFTER_BACKUP_MS + verifySpreadMs(serverId));
  const data = { ...input, nextRunAt: first };
  const row = await db.$transaction(async (tx) => {
    // Locked: a verification run moving the date forward meanwhile must not be written back over.
    const [was] = await tx.$queryRaw<{ enabled: boolean; verify_next_at: Date | null }[]>`
      SELECT enabled, verify_next_at FROM backup_schedules WHERE server_id = ${serverId} FOR UPDATE`;
    const verifyNextAt = !input.enabled ? null : was?.enabled && was.verify_next_at ? was.verify_next_at : verifyAfterFirst;
    const row = await tx.backupSchedule.upsert({ where: { serverId }, create: { serverId, ...data, verifyNextAt }, update: { ...data, verifyNextAt } });
    await recordAudit({ tx, principal, action: 'backup.schedule', targetType: 'server', targetId: serverId, tenantId: server.tenantId, data: input });
    return row;
  });
  return toScheduleDto(serverId, row);
};
