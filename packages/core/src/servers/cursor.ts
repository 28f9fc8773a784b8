import { AppError } from '../errors/app-error.ts';

/** Opaque keyset cursor over (createdAt DESC, id DESC): stable under inserts, no OFFSET scans. */
export const encodeCursor = (createdAt: Date, id: string): string =>
  Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');

export const decodeCursor = (cursor: string): { createdAt: Date; id: string } => {
  const [ts, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(ts ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw new AppError('validation_failed', 'The cursor is not valid.', { fieldErrors: [{ path: 'cursor', message: 'invalid cursor' }] });
  }
  return { createdAt, id };
};
