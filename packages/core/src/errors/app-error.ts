import { ZodError } from 'zod';
import type { TErrorCode, TProblem } from '@berth/contracts';

/** The one place a code maps to an HTTP status. */
export const ERROR_STATUS: Record<TErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  mfa_required: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  operation_in_progress: 409,
  invalid_state: 409,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  quota_exceeded: 409,
  insufficient_funds: 402,
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  internal_error: 500,
  no_capacity: 503,
  no_ip_available: 503,
  unavailable: 503,
  payload_too_large: 413,
};

const TITLES: Partial<Record<TErrorCode, string>> = {
  validation_failed: 'Your request is not valid',
  unauthorized: 'Authentication required',
  not_found: 'Not found',
  internal_error: 'Internal server error',
};

type TFieldError = { path: string; message: string };

export class AppError extends Error {
  readonly code: TErrorCode;
  readonly fieldErrors?: TFieldError[];
  constructor(code: TErrorCode, message: string, opts: { fieldErrors?: TFieldError[]; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.fieldErrors = opts.fieldErrors;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

// The database (or its connection pool) cannot be reached right now: Prisma's and pg's ways of saying so.
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08006', '08001', '08003']);
const UNREACHABLE_TEXT = /ECONNREFUSED|ECONNRESET|Connection terminated|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)|Can't reach database server|Timed out fetching a new connection|Server has closed the connection/i;

/** True for an error (or one it wraps) that means Postgres is unreachable, not that the request was wrong. */
export const isUnavailable = (err: unknown, depth = 0): boolean => {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; meta?: { code?: unknown } };
  if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
  if (typeof e.meta?.code === 'string' && UNREACHABLE_CODES.has(e.meta.code)) return true;
  if (typeof e.message === 'string' && UNREACHABLE_TEXT.test(e.message)) return true;
  return isUnavailable(e.cause, depth + 1);
};

/**
 * Any thrown value as RFC 9457 problem details; a database that cannot be reached is a 503 the client may
 * retry (nothing was done); other unknown errors become a generic 500 (logged, not leaked).
 */
export const toProblem = (err: unknown, log: (e: unknown) => void = console.error): TProblem => {
  if (err instanceof ZodError) {
    return problem('validation_failed', 'The request failed validation.', err.issues.map((i) => ({
      path: i.path.join('.') || '(body)',
      message: i.message,
    })));
  }
  if (err instanceof AppError) return problem(err.code, err.message, err.fieldErrors);
  if (isUnavailable(err)) return problem('unavailable', 'The service is briefly unavailable; retry in a few seconds.');
  log(err);
  return problem('internal_error', 'Something went wrong on our side; it has been logged.');
};

const problem = (code: TErrorCode, detail: string, errors?: TFieldError[]): TProblem => ({
  type: `https://berth.dev/problems/${code.replaceAll('_', '-')}`,
  title: TITLES[code] ?? code.replaceAll('_', ' '),
  status: ERROR_STATUS[code],
  code,
  detail,
  ...(errors ? { errors } : {}),
});
