import type { TOperation, TServer } from '@berth/contracts';
import type { Operation, Server } from '@berth/db';

export const SERVER_INCLUDE = { ipAddress: { select: { address: true } }, host: { select: { status: true } } } as const;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toServerDto = (s: Server & { ipAddress: { address: string } | null; host: { status: 'online' | 'offline' | 'maintenance' } }): TServer => ({
  id: s.id,
  hostname: s.hostname,
  status: s.status,
  ipv4: s.ipAddress?.address ?? null,
  planId: s.planId,
  templateId: s.templateId,
  hostId: s.hostId,
  hostStatus: s.host.status,
  tenantId: s.tenantId,
  rescue: s.rescueAt !== null,
  createdAt: s.createdAt.toISOString(),
});

export const toOperationDto = (o: Operation): TOperation => ({
  id: o.id,
  type: o.type,
  status: o.status,
  serverId: o.serverId,
  progress: o.progress,
  step: o.step,
  error: o.error,
  attempts: o.attempts,
  createdAt: o.createdAt.toISOString(),
  startedAt: iso(o.startedAt),
  finishedAt: iso(o.finishedAt),
});
