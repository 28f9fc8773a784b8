import { z } from 'zod';
import {
  ZAttachBackupTargetRequest, ZBackup, ZBackupSchedule, ZBackupTarget, ZCreateBackupRequest, ZCreateBackupTargetRequest, ZCreateSnapshotRequest,
  ZListBackupsQuery, ZPutBackupScheduleRequest, ZRescueRequest, ZRestoreToNewServerRequest, ZSnapshot,
} from '../backups.ts';
import { ZId } from '../ids.ts';
import { ZOperation } from '../operations.ts';
import { ZCreateServerResponse, ZOperationResponse } from '../servers.ts';
import { serverParams, ZCatalogPage, type TRouteDef } from './route-def.ts';

/** Snapshots, backups, their targets and schedules, and rescue mode (docs/backups.md): part of ROUTES. */
export const BACKUP_ROUTES = {
  listSnapshots: {
    method: 'GET', path: '/servers/{id}/snapshots', tag: 'backups', scope: 'servers:read', summary: 'The server\'s snapshots (copy-on-write points on its host), newest first',
    params: serverParams, status: 200, response: ZCatalogPage(ZSnapshot),
  },
  createSnapshot: {
    method: 'POST', path: '/servers/{id}/snapshots', tag: 'backups', scope: 'servers:write', summary: 'Take a crash-consistent snapshot (the VPS is frozen for milliseconds); the plan limits how many',
    params: serverParams, body: ZCreateSnapshotRequest, status: 202, response: z.object({ snapshot: ZSnapshot, operation: ZOperation }),
  },
  restoreSnapshot: {
    method: 'POST', path: '/snapshots/{id}/restore', tag: 'backups', scope: 'servers:write', summary: 'Roll the server back to the snapshot: stopped, disk put back, started (later changes are lost)',
    params: z.object({ id: ZId('snapshot') }), status: 202, response: ZOperationResponse,
  },
  deleteSnapshot: {
    method: 'DELETE', path: '/snapshots/{id}', tag: 'backups', scope: 'servers:write', summary: 'Delete a snapshot (operation null: nothing was left on a host)',
    params: z.object({ id: ZId('snapshot') }), status: 202, response: z.object({ operation: ZOperation.nullable() }),
  },
  listBackups: {
    method: 'GET', path: '/servers/{id}/backups', tag: 'backups', scope: 'servers:read', summary: 'The server\'s backups, newest first (also of a deleted server, while they are kept)',
    params: serverParams, query: ZListBackupsQuery.pick({ includeDeleted: true }), status: 200, response: ZCatalogPage(ZBackup),
  },
  createBackup: {
    method: 'POST', path: '/servers/{id}/backups', tag: 'backups', scope: 'servers:write', summary: 'Back up now to the host\'s backup target: full, or incremental (only changed chunks); kept until deleted',
    params: serverParams, body: ZCreateBackupRequest, status: 202, response: z.object({ backup: ZBackup, operation: ZOperation }),
  },
  getBackup: {
    method: 'GET', path: '/backups/{id}', tag: 'backups', scope: 'servers:read', summary: 'One backup',
    params: z.object({ id: ZId('backup') }), status: 200, response: ZBackup,
  },
  deleteBackup: {
    method: 'DELETE', path: '/backups/{id}', tag: 'backups', scope: 'servers:write', summary: 'Delete a backup from its target (refused while an incremental builds on it or a restore reads it)',
    params: z.object({ id: ZId('backup') }), status: 202, response: ZBackup,
  },
  restoreBackup: {
    method: 'POST', path: '/backups/{id}/restore', tag: 'backups', scope: 'servers:write', summary: 'Restore onto its own server: the disk is rebuilt and checked, then swapped in (stopped and started)',
    params: z.object({ id: ZId('backup') }), status: 202, response: ZOperationResponse,
  },
  verifyBackup: {
    method: 'POST', path: '/backups/{id}/verify', tag: 'backups', scope: 'servers:write', summary: 'Read the backup back from its target and check every chunk\'s checksum (the server runs on; nothing is written)',
    params: z.object({ id: ZId('backup') }), status: 202, response: ZOperationResponse,
  },
  restoreToNewServer: {
    method: 'POST', path: '/backups/{id}/servers', tag: 'backups', scope: 'servers:write', summary: 'Order a new server from a backup (its files and SSH host keys, a new address) on any host reaching its target',
    params: z.object({ id: ZId('backup') }), body: ZRestoreToNewServerRequest, status: 202, response: ZCreateServerResponse,
  },
  getBackupSchedule: {
    method: 'GET', path: '/servers/{id}/backup-schedule', tag: 'backups', scope: 'servers:read', summary: 'The server\'s daily backup schedule and retention',
    params: serverParams, status: 200, response: ZBackupSchedule,
  },
  putBackupSchedule: {
    method: 'PUT', path: '/servers/{id}/backup-schedule', tag: 'backups', scope: 'servers:write', summary: 'Set daily backups (hour, keep N daily and M weekly, a full every K) or switch them off',
    params: serverParams, body: ZPutBackupScheduleRequest, status: 200, response: ZBackupSchedule,
  },
  rescueServer: {
    method: 'POST', path: '/servers/{id}/rescue', tag: 'servers', scope: 'servers:write', summary: 'Boot into the rescue system with the server\'s disk at /mnt (enabled true), or back into its own (false)',
    params: serverParams, body: ZRescueRequest, status: 202, response: ZOperationResponse,
  },
  listBackupTargets: {
    method: 'GET', path: '/backup-targets', tag: 'backups', scope: 'admin:*', roles: ['admin'], summary: 'Where hosts write backups',
    status: 200, response: ZCatalogPage(ZBackupTarget),
  },
  createBackupTarget: {
    method: 'POST', path: '/backup-targets', tag: 'backups', scope: 'admin:*', roles: ['admin'], summary: 'Add a backup target (a directory: local, or a mount hosts share so any of them restores)',
    body: ZCreateBackupTargetRequest, status: 201, response: ZBackupTarget,
  },
  attachBackupTarget: {
    method: 'POST', path: '/backup-targets/{id}/hosts', tag: 'backups', scope: 'admin:*', roles: ['admin'], summary: 'The host writes its servers\' backups to this target from now on',
    params: z.object({ id: ZId('backupTarget') }), body: ZAttachBackupTargetRequest, status: 200, response: ZBackupTarget,
  },
} as const satisfies Record<string, TRouteDef>;
