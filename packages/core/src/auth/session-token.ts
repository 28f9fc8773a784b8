import { createHash, randomBytes } from 'node:crypto';

export const SESSION_TTL_S = 12 * 3600;

/** A new session cookie value: 256 random bits. */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');

/** The session row's id: only the token's SHA-256 is stored. */
export const sessionIdOf = (token: string): string => createHash('sha256').update(token).digest('hex');
