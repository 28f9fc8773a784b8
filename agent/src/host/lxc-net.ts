import { readFile, writeFile } from 'node:fs/promises';

const FILE = '/etc/default/lxc-net';

/**
 * Debian's lxc-net would bring up lxcbr0 with NAT and turn on ip_forward if a service manager ever ran it:
 * Berth manages its own bridge and must never forward, so it is switched off for good.
 */
export const disableLxcNet = async (): Promise<void> => {
  const text = await readFile(FILE, 'utf8').catch(() => '');
  const want = 'USE_LXC_BRIDGE="false"';
  if (text.split('\n').some((l) => l.trim() === want)) return;
  const lines = text.split('\n').filter((l) => !/^\s*USE_LXC_BRIDGE=/.test(l));
  while (lines.at(-1) === '') lines.pop();
  await writeFile(FILE, [...lines, want, ''].join('\n'));
};
