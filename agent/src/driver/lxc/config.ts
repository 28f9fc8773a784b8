import type { TServerSpec } from '@berth/contracts';
import { vethName } from '../../network/names.ts';
import { fileURLToPath } from 'node:url';
import { cpuSeed, cpusetFor, HOST_CGROUP, limitLines } from './limits.ts';

const LIMITS_HOOK = fileURLToPath(new URL('../../../scripts/apply-limits-hook.sh', import.meta.url));

// The default device allow-list from common.conf, which userns.conf clears: restored so a VPS can only
// touch the usual pseudo-devices even through nodes bind-mounted into its /dev.
const DEVICES = ['c *:* m', 'b *:* m', 'c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 1:8 rwm', 'c 1:9 rwm',
  'c 5:0 rwm', 'c 5:1 rwm', 'c 5:2 rwm', 'c 136:* rwm', 'c 10:229 rwm'];

/** `binds`: host directories bind-mounted into the container (rescue mode: the VPS's own disk at /mnt). */
export type TConfigInput = { spec: TServerSpec; rootfs: string; logFile: string; binds?: { source: string; target: string }[] };

/**
 * The container's LXC config, fully derived from the spec (rewritten before every start, so plan changes
 * apply on the next boot). Unprivileged with its own id range; the rootfs is the VPS's ext4 image,
 * seen through a host-side idmapped mount so its files stay uid 0 on disk. Seccomp comes from common.conf; no
 * nesting.conf. Every value here was validated (zod regexes or validateIdentity): no newline injection.
 */
export const renderConfig = ({ spec, rootfs, logFile, binds = [] }: TConfigInput): string => {
  const { uidBase, count } = spec.idmap;
  const n = spec.network;
  return [
    '# Written by the Berth agent; do not edit (rewritten on every start).',
    'lxc.include = /usr/share/lxc/config/common.conf',
    'lxc.include = /usr/share/lxc/config/userns.conf',
    // Nesting plans only: uncovered proc/sys mounts so containers (and their /proc) can run inside.
    ...(spec.features.nesting ? ['lxc.include = /usr/share/lxc/config/nesting.conf'] : []),
    // userns.conf mounts /sys rw; systemd-networkd then waits forever for a udev that a VPS lacks.
    // Read-only /sys (net writable) is also the smaller attack surface.
    'lxc.mount.auto =',
    'lxc.mount.auto = cgroup:mixed proc:mixed sys:mixed',
    'lxc.arch = linux64',
    `lxc.uts.name = ${spec.hostname}`,
    // Already an idmapped view of the disk (storage/idmapped-mount.ts), so a plain dir rootfs.
    `lxc.rootfs.path = dir:${rootfs}`,
    `lxc.idmap = u 0 ${uidBase} ${count}`,
    `lxc.idmap = g 0 ${uidBase} ${count}`,
    // An idmapped view already (the VPS's range): the bind keeps its mapping.
    ...binds.map((b) => `lxc.mount.entry = ${b.source} ${b.target} none bind,create=dir 0 0`),
    'lxc.cgroup.devices.deny = a',
    ...DEVICES.map((d) => `lxc.cgroup.devices.allow = ${d}`),
    ...limitLines(spec.limits, HOST_CGROUP, cpusetFor(spec.limits, cpuSeed(spec))),
    'lxc.net.0.type = veth',
    `lxc.net.0.link = ${n.bridge}`,
    `lxc.net.0.veth.pair = ${vethName(spec.serverId)}`,
    `lxc.net.0.hwaddr = ${n.mac}`,
    'lxc.net.0.name = eth0',
    'lxc.net.0.flags = up',
    // Re-applies the current plan at every boot, a reboot from inside included (see the script).
    `lxc.hook.start-host = ${LIMITS_HOOK}`,
    'lxc.start.auto = 0',
    `lxc.log.file = ${logFile}`,
    'lxc.log.level = WARN',
    '',
  ].join('\n');
};
