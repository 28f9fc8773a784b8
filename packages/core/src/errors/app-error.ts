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

/** Any thrown value as RFC 9457 problem details; unknown errors become a generic 500 (logged, not leaked). */
export const toProblem = (err: unknown, log: (e: unknown) => void = console.error): TProblem => {
  if (err instanceof ZodError) {
    return problem('validation_failed', 'The request failed validation.', err.issues.map((i) => ({
      path: i.path.join('.') || '(body)',
      message: i.message,
    })));
  }
  if (err instanceof AppError) return problem(err.code, err.message, err.fieldErrors);
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
