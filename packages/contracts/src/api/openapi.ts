import { z } from 'zod';
import { ZProblem } from '../problem.ts';
import { ROUTES, type TRouteDef } from './routes.ts';
import { SCOPES } from './scopes.ts';

type TJson = Record<string, unknown>;

const schema = (s: z.ZodType, io: 'input' | 'output'): TJson => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as TJson;
  return rest;
};

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

const parameters = (r: TRouteDef): TJson[] => {
  const out: TJson[] = [];
  for (const [where, obj] of [['path', r.params], ['query', r.query]] as const) {
    if (!obj) continue;
    const js = schema(obj, 'input') as { properties?: Record<string, TJson>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
    }
  }
  if (r.method === 'POST') {
    out.push({
      name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 },
      description: 'A retry with the same key returns the first response and does not act twice; the same key with another body is 422.',
    });
  }
  return out;
};

const operation = (name: string, r: TRouteDef): TJson => ({
  operationId: name,
  summary: r.summary,
  tags: [r.tag],
  'x-berth-scope': r.scope,
  ...(r.roles ? { 'x-berth-roles': r.roles } : {}),
  ...(r.readOnly ? { 'x-berth-read-only': true } : {}),
  parameters: parameters(r),
  ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(r.body, 'input') } } } } : {}),
  responses: {
    [String(r.status)]: {
      description: 'Success',
      content: r.binary ? { [r.binary]: { schema: { type: 'string', format: 'binary' } } } : { 'application/json': { schema: schema(r.response, 'output') } },
    },
    ...(r.body ? { 400: problem('Broken JSON'), 415: problem('Not application/json'), 422: problem('Validation failed (field paths in `errors`)') } : {}),
    401: problem('No, invalid, revoked or expired credentials'),
    403: problem('Missing scope or role'),
    ...(r.params ? { 404: problem('Not found, or not yours') } : {}),
    429: problem('Rate limited (see Retry-After)'),
  },
});

/** The OpenAPI 3.1 document of /api/v1, generated from the route catalog's zod schemas. */
export const buildOpenApi = (opts: { serverUrl?: string } = {}): TJson => {
  const paths: Record<string, Record<string, TJson>> = {};
  for (const [name, r] of Object.entries(ROUTES) as [string, TRouteDef][]) {
    (paths[r.path] ??= {})[r.method.toLowerCase()] = operation(name, r);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Berth API',
      version: '1',
      description: 'VPS hosting control panel API. Errors are RFC 9457 problem+json with a stable `code`. '
        + 'Authenticate with `Authorization: Bearer <api key>`; every POST accepts an `Idempotency-Key`.',
    },
    servers: [{ url: opts.serverUrl ?? '/api/v1' }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: `Scopes: ${SCOPES.join(', ')}` },
        session: { type: 'apiKey', in: 'cookie', name: 'berth_session', description: 'The web UI session; writes also need the CSRF header.' },
      },
      schemas: { Problem: schema(ZProblem, 'output') },
    },
    paths,
  };
};
