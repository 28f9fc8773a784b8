import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, Prisma } from './generated/client.ts';
export type { Server, Operation, Host, Plan, Template, User, ApiKey, Tenant, SshKey, AuditEvent, HostInstall, WebhookEndpoint, WebhookDelivery, QuarantinedContainer, Snapshot, Backup, BackupTarget, BackupSchedule } from './generated/client.ts';

export { Prisma, PrismaClient };
export * from './generated/enums.ts';

export type TDb = PrismaClient;
/** A client or an interactive transaction: core verbs accept either so they compose inside one transaction. */
export type TTx = Prisma.TransactionClient;

/** The only place a Prisma client is built: the pg driver adapter, no native engine. */
export const createDb = (databaseUrl: string, opts: { max?: number } = {}): TDb =>
  new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: opts.max ?? 10 }) });

/** True when the error is a unique-constraint violation (for retry-on-conflict allocation loops). */
export const isUniqueViolation = (err: unknown): boolean =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
