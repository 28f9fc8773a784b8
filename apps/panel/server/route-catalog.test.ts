// Every API route file is built from the catalog and every catalog entry has its file: the OpenAPI
// document, the typed client and the authorization matrix can then trust the catalog to be the whole API.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ROUTES } from '@berth/contracts';

const ROOT = path.join(import.meta.dirname, '../app/api/v1');
// Not catalog entries: the problem+json 404 for unknown paths and the OpenAPI document itself.
const OUTSIDE = new Set(['/[[...path]]', '/openapi.json']);

const routeFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? routeFiles(p) : n === 'route.ts' ? [p] : [];
  });

it('matches the route files one to one', () => {
  const found: string[] = [];
  for (const file of routeFiles(ROOT)) {
    const urlPath = `/${path.relative(ROOT, path.dirname(file))}`.replace(/\[(\w+)\]/g, '{$1}');
    if (OUTSIDE.has(urlPath)) continue;
    const src = readFileSync(file, 'utf8');
    const exports = [...src.matchAll(/export const (GET|POST|PUT|PATCH|DELETE) = (\w+)\(ROUTES\.(\w+)/g)];
    const all = [...src.matchAll(/export (?:const|function|\{)/g)];
    expect(all.length, `${file}: every export must be apiRoute(ROUTES.x, ...)`).toBe(exports.length);
    for (const [, method, wrapper, name] of exports) {
      expect(wrapper, file).toBe('apiRoute');
      const def = ROUTES[name as keyof typeof ROUTES];
      expect(def, `${file}: ROUTES.${name}`).toBeDefined();
      expect(`${def.method} ${def.path}`, file).toBe(`${method} ${urlPath}`);
      found.push(name!);
    }
  }
  expect(found.sort()).toEqual(Object.keys(ROUTES).sort());
});
