import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/** What runs the agent on a host: its sources, the three workspace packages it imports, their npm closure, and node itself. */
const WORKSPACES = ['agent', 'packages/config', 'packages/contracts', 'packages/jobs'] as const;
// tsx runs the TypeScript sources (as on the panel machine); everything else comes from package.json files.
const RUNTIME_EXTRA = ['tsx'];

export type TAgentBundle = { file: string; id: string; version: string; bytes: number };

type TPkg = { name?: string; version?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
const readPkg = async (dir: string): Promise<TPkg> => JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as TPkg;
const exists = (p: string) => stat(p).then(() => true, () => false);

/** Node's lookup: the nearest node_modules/<name> from `from` up to the repository root. */
const resolveDir = async (root: string, from: string, name: string): Promise<string | null> => {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (await exists(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === path.dirname(dir)) return null;
  }
};

/** Every installed package directory the agent can load at run time (dependencies, present optional ones). */
export const agentPackageDirs = async (root: string): Promise<string[]> => {
  const seen = new Set<string>();
  const visit = async (from: string, name: string, optional: boolean): Promise<void> => {
    if (name.startsWith('@berth/')) return; // workspaces travel as sources
    const dir = await resolveDir(root, from, name);
    if (!dir) {
      if (optional) return; // e.g. another platform's esbuild binary
      throw new Error(`agent bundle: ${name} (needed by ${path.relative(root, from) || '.'}) is not installed`);
    }
    if (seen.has(dir)) return;
    seen.add(dir);
    const pkg = await readPkg(dir);
    for (const dep of Object.keys(pkg.dependencies ?? {})) await visit(dir, dep, false);
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) await visit(dir, dep, true);
  };
  for (const ws of WORKSPACES) {
    const pkg = await readPkg(path.join(root, ws));
    for (const dep of Object.keys(pkg.dependencies ?? {})) await visit(path.join(root, ws), dep, false);
  }
  for (const dep of RUNTIME_EXTRA) await visit(root, dep, false);
  return [...seen].sort();
};

/** Source files of the workspaces, tests left out (they need the repository's dev tooling). */
const sourceFiles = async (root: string): Promise<string[]> => {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') await walk(r);
      } else if (!/\.test\.ts$/.test(e.name)) out.push(r);
    }
  };
  for (const ws of WORKSPACES) await walk(ws);
  return out.sort();
};

/**
 * The agent as a host receives it: a tar.gz laid out like the repository (agent/, packages/..., a pruned
 * node_modules, tsconfig.json) plus node/bin/node, the panel machine's own runtime (hosts run the same
 * Debian release; none is downloaded). Built once per content: its id is a digest of every file's path,
 * size and mtime and of node's version, so an unchanged agent is not rebuilt or re-uploaded.
 */
export const buildAgentBundle = async ({ root, cacheDir }: { root: string; cacheDir: string }): Promise<TAgentBundle> => {
  const files = await sourceFiles(root);
  const dirs = await agentPackageDirs(root);
  const h = createHash('sha256').update(process.version);
  for (const f of [...files, ...dirs.map((d) => path.join(path.relative(root, d), 'package.json')), 'tsconfig.json']) {
    const s = await stat(path.join(root, f));
    h.update(`${f}\0${s.size}\0${s.mtimeMs}\n`);
  }
  const { version = '0.0.0' } = await readPkg(path.join(root, 'agent'));
  const id = `${version}-${h.digest('hex').slice(0, 16)}`;
  const file = path.join(cacheDir, `berth-agent-${id}.tar.gz`);
  if (await exists(file)) return { file, id, version, bytes: (await stat(file)).size };

  await mkdir(cacheDir, { recursive: true, mode: 0o700 });
  const stage = await mkdtemp(path.join(tmpdir(), 'berth-agent-bundle-'));
  try {
    for (const f of [...files, 'tsconfig.json']) await cp(path.join(root, f), path.join(stage, f), { preserveTimestamps: true });
    for (const d of dirs) await cp(d, path.join(stage, path.relative(root, d)), { recursive: true, verbatimSymlinks: true });
    // Workspace packages resolve by name as in the repository: node_modules/@berth/x -> packages/x.
    await mkdir(path.join(stage, 'node_modules/@berth'), { recursive: true });
    for (const ws of WORKSPACES.filter((w) => w.startsWith('packages/'))) {
      await symlink(path.join('../..', ws), path.join(stage, 'node_modules/@berth', path.basename(ws)));
    }
    await mkdir(path.join(stage, 'node/bin'), { recursive: true });
    await cp(process.execPath, path.join(stage, 'node/bin/node'));
    // A temporary name of our own: two workers may build the same bundle at once.
    const tmp = `${file}.${process.pid}.${path.basename(stage)}.tmp`;
    await execFileP('tar', ['-C', stage, '-czf', tmp, '.'], { maxBuffer: 1 << 20 });
    await rename(tmp, file);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
  return { file, id, version, bytes: (await stat(file)).size };
};
