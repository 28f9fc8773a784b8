import { buildOpenApi, ROUTES, SCOPES, type TRouteDef } from '@berth/contracts';

export const metadata = { title: 'API reference' };

type TJson = Record<string, unknown>;

/** A compact, readable rendering of a JSON Schema: `{ hostname: string, planId: string, ... }`. */
const shape = (s: TJson | undefined, depth = 0): string => {
  if (!s) return 'unknown';
  if (s.anyOf) return (s.anyOf as TJson[]).map((x) => shape(x, depth)).join(' | ');
  if (s.enum) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (s.type === 'array') return `${shape(s.items as TJson, depth)}[]`;
  if (s.type === 'object' && s.properties && depth < 3) {
    const req = new Set((s.required as string[] | undefined) ?? []);
    const pad = '  '.repeat(depth + 1);
    const fields = Object.entries(s.properties as Record<string, TJson>).map(([k, v]) => `${pad}${k}${req.has(k) ? '' : '?'}: ${shape(v, depth + 1)}`);
    return `{\n${fields.join(',\n')}\n${'  '.repeat(depth)}}`;
  }
  return Array.isArray(s.type) ? s.type.join(' | ') : String(s.type ?? 'any');
};

/** /docs/api: every endpoint of /api/v1 from the same catalog as the handlers and openapi.json. */
export default function ApiDocsPage() {
  const doc = buildOpenApi() as { paths: Record<string, Record<string, TJson>> };
  const byTag = new Map<string, [string, TRouteDef][]>();
  for (const [name, r] of Object.entries(ROUTES) as [string, TRouteDef][]) byTag.set(r.tag, [...(byTag.get(r.tag) ?? []), [name, r]]);
  return (
    <main className="page stack">
      <h1>Berth API v1</h1>
      <p>
        Base URL <code>/api/v1</code>. Authenticate with <code>Authorization: Bearer &lt;key&gt;</code>. Errors are RFC 9457{' '}
        <code>application/problem+json</code> with a stable <code>code</code>, field paths in <code>errors</code> and the{' '}
        <code>requestId</code>. Every POST accepts an <code>Idempotency-Key</code>; every answer carries <code>RateLimit-*</code> headers
        (429 with <code>Retry-After</code> past the limit). Lists are newest first with <code>limit</code> and an opaque{' '}
        <code>cursor</code> (<code>nextCursor</code>). Machine-readable: <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI 3.1).
      </p>
      <p>Scopes: {SCOPES.map((s) => <code key={s}>{s} </code>)}</p>
      {[...byTag].map(([tag, routes]) => (
        <section key={tag} className="stack-sm">
          <h2>{tag}</h2>
          {routes.map(([name, r]) => {
            const op = doc.paths[r.path]?.[r.method.toLowerCase()] as TJson;
            const body = (op.requestBody as { content: Record<string, { schema: TJson }> } | undefined)?.content['application/json']?.schema;
            const res = (op.responses as Record<string, { content?: Record<string, { schema: TJson }> }>)[String(r.status)]?.content?.['application/json']?.schema;
            return (
              <article key={name} id={name} className="card stack-sm">
                <h3><code>{r.method} {r.path}</code></h3>
                <p>{r.summary}. Scope <code>{r.scope}</code>{r.roles ? <> · roles {r.roles.join(', ')}</> : null} · success {r.status}</p>
                {((op.parameters as TJson[]) ?? []).length > 0 && (
                  <p>Parameters: {(op.parameters as TJson[]).map((p) => <code key={`${p.in}-${p.name}`}>{String(p.name)} ({String(p.in)}{p.required ? ', required' : ''}) </code>)}</p>
                )}
                {body && <details><summary>Request body</summary><pre>{shape(body)}</pre></details>}
                {res && r.status !== 204 && <details><summary>Response {r.status}</summary><pre>{shape(res)}</pre></details>}
              </article>
            );
          })}
        </section>
      ))}
    </main>
  );
}
