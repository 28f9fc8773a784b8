import { newId, type TCreateIpPoolRequest, type TIpPool } from '@berth/contracts';
import type { TDb } from '@berth/db';
import { requireScope, type TPrincipal } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError } from '../errors/app-error.ts';
import { notFound } from '../errors/not-found.ts';
import { TX_OPTIONS } from '../tx-options.ts';
import { usableAddresses } from './usable-addresses.ts';

type TOptions = { db: TDb; principal: TPrincipal; input: TCreateIpPoolRequest };

/** Give a host more IPv4 addresses. An address already in any pool is refused (409): pools never overlap. */
export const createIpPool = async ({ db, principal, input }: TOptions): Promise<TIpPool> => {
  requireScope(principal, 'admin:*');
  const { addresses, prefixLength } = usableAddresses(input.cidr, input.range);
  if (!addresses.length) throw new AppError('validation_failed', 'The range holds no usable address.', { fieldErrors: [{ path: 'range', message: 'empty' }] });
  return db.$transaction(async (tx) => {
    if (!(await tx.host.findUnique({ where: { id: input.hostId } }))) throw notFound('host', input.hostId);
    const taken = await tx.ipAddress.findFirst({ where: { address: { in: addresses } }, select: { address: true } });
    if (taken) throw new AppError('conflict', `${taken.address} already belongs to a pool.`);
    const pool = await tx.ipPool.create({ data: { id: newId('ipPool'), hostId: input.hostId, cidr: input.cidr, prefixLength, gateway: input.gateway ?? null, hosts: { create: { hostId: input.hostId } } } });
    await tx.ipAddress.createMany({ data: addresses.map((address) => ({ id: newId('ipAddress'), poolId: pool.id, address })) });
    await recordAudit({ tx, principal, action: 'ip_pool.create', targetType: 'ip_pool', targetId: pool.id, data: { hostId: input.hostId, cidr: input.cidr, count: addresses.length } });
    return { id: pool.id, hostId: pool.hostId, hostIds: [pool.hostId], cidr: pool.cidr, gateway: pool.gateway, total: addresses.length, allocated: 0, createdAt: pool.createdAt.toISOString() };
  }, TX_OPTIONS);
};
