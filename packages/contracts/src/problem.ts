import { z } from 'zod';

/** Stable machine-readable error codes; the HTTP status of each lives in core's error table. */
export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'unauthorized',
  'mfa_required',
  'forbidden',
  'not_found',
  'conflict',
  'operation_in_progress',
  'invalid_state',
  'no_capacity',
  'no_ip_available',
  'unsupported_media_type',
  'rate_limited',
  'quota_exceeded',
  'insufficient_funds',
  'idempotency_key_reused',
  'idempotency_in_progress',
  'internal_error',
  'unavailable',
  'payload_too_large',
] as const;
export const ZErrorCode = z.enum(ERROR_CODES);
export type TErrorCode = z.infer<typeof ZErrorCode>;

/** RFC 9457 problem details, plus our stable `code` and field errors. */
export const ZProblem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: ZErrorCode,
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** Quote it when reporting a problem: it is in the audit log and the X-Request-Id header. */
  requestId: z.string().optional(),
});
export type TProblem = z.infer<typeof ZProblem>;
