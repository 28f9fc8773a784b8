// Shared setup for core's integration tests: real rows from the seed factories, and small assertion helpers.
import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'vitest';
import type { TErrorCode, TServerState } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { makeHost, makePlan, makePrincipal, makeTemplate } from '../../../../prisma/seed/factories.ts';
import { attachBackupTarget, createBackupTarget } from '../backups/backup-targets.ts';
import { AppError } from '../errors/app-error.ts';
import { applyFinished } from '../operations/apply-finished.ts';
import { createServer } from '../servers/create-server.ts';
import type { TPrincipal } from '../auth/principal.ts';

export { makeHost, makePlan, makePrincipal, makeTemplate };

/** Await a call that must reject with an AppError of `code`, and return the error for further checks. */
export const expectAppError = async (p: Promise<unknown>, code: TErrorCode): Promise<AppError> => {
  const err = await p.then(
    (v) => new Error(`expected AppError ${code}, got a result: ${JSON.stringify(v)}`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code, (err as Error).message).toBe(code);
  return err as AppError;
};

let seq = 0;
/** A fresh RFC 1123 host name per call. */
export const nextHostname = () => `vps-${process.pid}-${++seq}.test.invalid`;

/** A plan, a template, a customer and one online host (pool from `cidr`: addresses are unique per database). */
export const makeWorld = async (db: TDb, host: Parameters<typeof makeHost>[1] = {}) => {
  const [plan, template, principal] = await Promise.all([makePlan(db), makeTemplate(db), makePrincipal(db)]);
  return { plan, template, principal, host: await makeHost(db, host) };
};

export const createFor = (db: TDb, principal: TPrincipal, planId: string, templateId: string, extra: object = {}) =>
  createServer({ db, principal, input: { hostname: nextHostname(), planId, templateId, ...extra } });

/** The agent's final report for an operation, applied through the real verb. */
export const finish = (
  db: TDb,
  at: { operationId: string; serverId: string; hostId: string },
  outcome: 'succeeded' | 'failed',
  { state = null, error = null, attempt = 1, result }: { state?: TServerState | null; error?: string | null; attempt?: number; result?: Record<string, string | number> } = {},
) => applyFinished({ db, event: { ...at, outcome, state, error, attempt, ...(result ? { result } : {}) } });

/** A server of the world whose create the agent reported done: running. */
export const runningServer = async (db: TDb, w: Awaited<ReturnType<typeof makeWorld>>) => {
  const { server, operation } = await createFor(db, w.principal, w.plan.id, w.template.id);
  await finish(db, { operationId: operation.id, serverId: server.id, hostId: w.host.id }, 'succeeded', { state: 'running' });
  return server;
};

/** A `dir` backup target the world's host writes to (as setup seeds one), made by an admin it returns too. */
export const attachDirTarget = async (db: TDb, hostId: string, path: string) => {
  const admin = await makePrincipal(db, { role: 'admin', scopes: ['admin:*'] });
  const target = await createBackupTarget({ db, principal: admin, input: { name: 'local', spec: { kind: 'dir', path } } });
  await attachBackupTarget({ db, principal: admin, targetId: target.id, hostId });
  return { admin, targetId: target.id };
};

export const hostCounters = async (db: TDb, hostId: string) => {
  const h = await db.host.findUniqueOrThrow({ where: { id: hostId } });
  return { cpu: h.allocCpuCores, memoryMb: h.allocMemoryMb, diskGb: h.allocDiskGb };
};

/** A real OpenSSH ed25519 public key line (type + length-prefixed blob), as a user would paste it. */
export const sshPublicKey = (): string => {
  const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(der.subarray(-32))]);
  return `ssh-ed25519 ${blob.toString('base64')} test@berth`;
};
