import { z } from 'zod';
import { ZId } from '../ids.ts';
import type { TRole, TScope } from './scopes.ts';

export type THttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One public API endpoint: the panel's route handlers are built from these (auth, scope, parsing,
 * idempotency, rate limit, audit), the OpenAPI document is generated from them, and the authorization
 * matrix and fuzz tests enumerate them. Paths are relative to /api/v1 in OpenAPI form (`{id}`).
 */
export type TRouteDef = {
  method: THttpMethod;
  path: `/${string}`;
  summary: string;
  tag: string;
  scope: TScope;
  /** Roles allowed at all (others get 403); absent = every role, rows filtered by tenant. */
  roles?: readonly TRole[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  status: 200 | 201 | 202 | 204;
  response: z.ZodType;
  /** A file instead of JSON (e.g. application/pdf): the handler returns { bytes, filename }. */
  binary?: string;
  /** A POST that changes nothing (a dry run): no audit event. */
  readOnly?: true;
};

export const serverParams = z.object({ id: ZId('server') });
// Catalogs are small (creation caps them) and come whole; nextCursor is always null.
export const ZCatalogPage = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.null() });
