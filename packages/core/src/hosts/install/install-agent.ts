import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { TAgentBundle } from './build-agent-bundle.ts';
import type { TRemote } from './remote.ts';
import type { TInstallOptions } from './request-install.ts';

/** Debian packages the agent drives (as `npm run setup` installs on the panel machine's own host). */
export const AGENT_PACKAGES = [
  'lxc', 'lxcfs', 'uidmap', 'nftables', 'xfsprogs', 'e2fsprogs', 'busybox-static', 'iproute2', 'ca-certificates',
  'openssl', 'procps', 'util-linux', 'mount', 'perl-base', 'python3',
];

export type TInstallAgentOptions = {
  remote: TRemote;
  hostId: string;
  options: TInstallOptions;
  bundle: TAgentBundle;
  /** The agent's configuration (agent.env), given the Redis password the host already has, if any. */
  agentEnv: (existingRedisUrl: string | null) => Promise<Record<string, string>>;
  /** OS templates to put in the host's pool: image files of the panel machine, by image ref. */
  templates: { imageRef: string; file: string }[];
  step: (name: string) => Promise<void>;
};

export type TMeasured = { cpuCores: number; memoryMb: number; diskGb: number; serviceManager: 'systemd' | 'supervisor' };

const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
// One shell line for what needs a shell on the host (redirections, the agent's env file); every value quoted.
const sh = (remote: TRemote, script: string, opts?: Parameters<TRemote['run']>[2]) => remote.run('sh', ['-c', script], opts);

const checkSystem = async (remote: TRemote) => {
  const os = (await remote.run('cat', ['/etc/os-release'])).stdout;
  const id = /^ID=(.*)$/m.exec(os)?.[1]?.replaceAll('"', '');
  const version = /^VERSION_ID=(.*)$/m.exec(os)?.[1]?.replaceAll('"', '');
  if (id !== 'debian' || version !== '12') throw new Error(`unsupported OS ${id ?? '?'} ${version ?? '?'}: hosts run Debian 12`);
  const arch = (await remote.run('uname', ['-m'])).stdout.trim();
  const ours = process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch;
  if (arch !== ours) throw new Error(`the host is ${arch}; the agent bundle (and its node) is ${ours}`);
  if ((await remote.run('id', ['-u'])).stdout.trim() !== '0') throw new Error('log in as root: the agent manages LXC, loop devices and nftables');
  // The agent's limits are cgroup v1 keys: a host booted with only the unified hierarchy cannot run VPSes.
  const v1 = await remote.run('test', ['-e', '/sys/fs/cgroup/memory/memory.limit_in_bytes'], { okCodes: [0, 1] });
  if (v1.code !== 0) throw new Error('the host has no cgroup v1 memory hierarchy: boot it with systemd.unified_cgroup_hierarchy=0');
};

const installPackages = async (remote: TRemote) => {
  const { stdout } = await remote.run('dpkg-query', ['-W', '-f', '${Package} ${db:Status-Abbrev}\\n', ...AGENT_PACKAGES], { okCodes: [0, 1] });
  const ok = new Set(stdout.split('\n').filter((l) => / ii\s*$/.test(l)).map((l) => l.split(' ')[0]));
  const missing = AGENT_PACKAGES.filter((p) => !ok.has(p));
  if (!missing.length) return;
  await sh(remote, 'DEBIAN_FRONTEND=noninteractive apt-get update -qq');
  await sh(remote, `DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing.map(q).join(' ')}`);
};

const copyBundle = async (remote: TRemote, dir: string, bundle: TAgentBundle) => {
  const release = `${dir}/releases/${bundle.id}`;
  const have = await remote.run('test', ['-e', `${release}/.complete`], { okCodes: [0, 1] });
  if (have.code !== 0) {
    await remote.run('rm', ['-rf', `${release}.tmp`]);
    await remote.run('mkdir', ['-p', `${release}.tmp`]);
    await remote.run('tar', ['-xzf', '-', '-C', `${release}.tmp`], { stdin: createReadStream(bundle.file) });
    await remote.run('touch', [`${release}.tmp/.complete`]);
    await remote.run('rm', ['-rf', release]);
    await remote.run('mv', [`${release}.tmp`, release]);
  }
  await remote.run('ln', ['-sfn', `releases/${bundle.id}`, `${dir}/current`]);
};

const writeFile = (remote: TRemote, file: string, content: string, mode: string) =>
  sh(remote, `umask 077 && cat > ${q(`${file}.tmp`)} && chmod ${mode} ${q(`${file}.tmp`)} && mv ${q(`${file}.tmp`)} ${q(file)}`, { stdin: content });

const readEnvValue = async (remote: TRemote, file: string, key: string) => {
  const r = await remote.run('cat', [file], { okCodes: [0, 1] });
  const value = r.code === 0 ? new RegExp(`^${key}=(.*)$`, 'm').exec(r.stdout)?.[1] : undefined;
  return value === undefined ? null : value.replace(/^'(.*)'$/, '$1').replaceAll(`'\\''`, "'");
};

// The agent as the env file configures it, from the release `current` points to.
const agentCommand = (dir: string, script: string) =>
  `set -a && . ${q(`${dir}/agent.env`)} && set +a && cd ${q(`${dir}/current`)} && exec ./node/bin/node node_modules/tsx/dist/cli.mjs ${q(script)}`;

const copyTemplates = async (remote: TRemote, dataDir: string, templates: TInstallAgentOptions['templates']) => {
  for (const t of templates) {
    const target = `${dataDir}/pool/templates/${t.imageRef}.img`;
    const recipe = await readFile(`${t.file}.recipe`, 'utf8').catch(() => null);
    const theirs = await remote.run('cat', [`${target}.recipe`], { okCodes: [0, 1] });
    const size = await remote.run('stat', ['-c', '%s', target], { okCodes: [0, 1] });
    if (recipe !== null && theirs.code === 0 && theirs.stdout.trim() === recipe.trim() && Number(size.stdout) === (await stat(t.file)).size) continue;
    await sh(remote, `cat > ${q(`${target}.tmp`)}`, { stdin: createReadStream(t.file) });
    await remote.run('mv', [`${target}.tmp`, target]);
    if (recipe !== null) await writeFile(remote, `${target}.recipe`, recipe, '644');
  }
};

const measure = async (remote: TRemote, dataDir: string) => {
  const cpuCores = Number((await remote.run('nproc')).stdout.trim());
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec((await remote.run('cat', ['/proc/meminfo'])).stdout)?.[1]);
  const poolBytes = Number((await remote.run('df', ['-B1', '--output=size', `${dataDir}/pool`])).stdout.trim().split('\n').at(-1));
  if (!(cpuCores > 0 && memKb > 0 && poolBytes > 0)) throw new Error('could not measure the host (nproc, /proc/meminfo, df)');
  return { cpuCores, memoryMb: Math.floor(memKb / 1024), diskGb: Math.floor(poolBytes / 1024 ** 3) };
};

/** Replace the running agent: a systemd unit where systemd runs, else a supervisor loop in its own session. */
const startService = async (remote: TRemote, dir: string): Promise<TMeasured['serviceManager']> => {
  const systemd = (await remote.run('test', ['-d', '/run/systemd/system'], { okCodes: [0, 1] })).code === 0;
  if (systemd) {
    await writeFile(remote, '/etc/systemd/system/berth-agent.service', [
      '[Unit]', 'Description=Berth host agent', 'After=network-online.target', 'Wants=network-online.target', '',
      '[Service]', `EnvironmentFile=${dir}/agent.env`, `WorkingDirectory=${dir}/current`,
      `ExecStart=${dir}/current/node/bin/node node_modules/tsx/dist/cli.mjs agent/src/main.ts`,
      // SIGTERM lets running jobs finish (no VPS left half-made), so the stop may take a while.
      'Restart=always', 'RestartSec=2', 'KillMode=mixed', 'TimeoutStopSec=300', '',
      '[Install]', 'WantedBy=multi-user.target', '',
    ].join('\n'), '644');
    await remote.run('systemctl', ['daemon-reload']);
    await remote.run('systemctl', ['enable', 'berth-agent']);
    await remote.run('systemctl', ['restart', 'berth-agent']);
    return 'systemd';
  }
  // SIGTERM to the supervisor reaches the agent alone (not the lxc-* commands it is running), which finishes
  // its jobs and exits; the supervisor then exits too.
  await writeFile(remote, `${dir}/supervise.sh`, [
    '#!/bin/sh', '# Keeps the Berth agent running on a host without systemd (written by the panel\'s installer).',
    'child=', 'trap \'[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait "$child"; exit 0\' TERM',
    `while :; do (${agentCommand(dir, 'agent/src/main.ts')}) >>${q(`${dir}/agent.log`)} 2>&1 & child=$!; wait "$child"; sleep 2; done`, '',
  ].join('\n'), '700');
  const pidFile = `${dir}/supervise.pid`;
  await sh(remote, `p=$(cat ${q(pidFile)} 2>/dev/null) || exit 0; kill -TERM "$p" 2>/dev/null || exit 0; ` +
    'i=0; while kill -0 "$p" 2>/dev/null && [ $i -lt 300 ]; do sleep 1; i=$((i+1)); done; kill -KILL -- "-$p" 2>/dev/null; exit 0');
  await sh(remote, `setsid -f sh -c 'echo $$ > "$0" && exec sh "$1"' ${q(pidFile)} ${q(`${dir}/supervise.sh`)} </dev/null >/dev/null 2>&1`);
  return 'supervisor';
};

/**
 * Install (or upgrade) the agent on a host over SSH, idempotently: check it is Debian 12 on our
 * architecture as root, install missing packages, unpack the bundle as a new release (kept if already
 * there) and point `current` at it, write agent.env (keeping the host's Redis password), prepare the host
 * (pool, bridge, firewall), copy the OS templates it lacks, measure it, and (re)start the service.
 */
export const installAgent = async ({ remote, hostId, options, bundle, agentEnv, templates, step }: TInstallAgentOptions): Promise<TMeasured> => {
  const dir = options.installDir;
  await step('checking the system');
  await checkSystem(remote);
  await step('installing packages');
  await installPackages(remote);
  await step(`copying the agent (${Math.round(bundle.bytes / 1024 ** 2)} MB)`);
  await remote.run('mkdir', ['-p', `${dir}/releases`, options.dataDir, options.lxcPath]);
  await copyBundle(remote, dir, bundle);
  await step('writing its configuration');
  const env = await agentEnv(await readEnvValue(remote, `${dir}/agent.env`, 'REDIS_URL'));
  const lines = Object.entries({ ...env, BERTH_HOST_ID: hostId, BERTH_DATA_DIR: options.dataDir, BERTH_LXC_PATH: options.lxcPath })
    .map(([k, v]) => `${k}=${q(v)}`);
  await writeFile(remote, `${dir}/agent.env`, `# Written by the Berth panel's installer; re-running the install rewrites it.\n${lines.join('\n')}\n`, '600');
  await step('preparing the host (image pool, bridge, firewall)');
  await sh(remote, agentCommand(dir, 'agent/src/prepare-host.ts'));
  await step('copying OS templates');
  await copyTemplates(remote, options.dataDir, templates);
  const measured = await measure(remote, options.dataDir);
  await step('starting the agent');
  const serviceManager = await startService(remote, dir);
  return { ...measured, serviceManager };
};
