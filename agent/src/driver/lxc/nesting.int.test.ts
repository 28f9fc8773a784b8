// Nesting is a plan feature: only a nesting plan can run containers inside (here: mount a fresh /proc in
// a nested user+pid namespace, which every container runtime needs and which LXC's masked /proc forbids).
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv, ZAgentEnv } from '@berth/config';
import type { TServerSpec } from '@berth/contracts';
import { CommandError, run } from '../../exec/run.ts';
import { prepareHost } from '../../prepare-host.ts';
import { storagePaths } from '../../storage/paths.ts';
import { createLxcDriver } from './lxc-driver.ts';
import { testSpec } from './test-spec.ts';

const env = loadEnv(ZAgentEnv.pick({ BERTH_DATA_DIR: true, BERTH_LXC_PATH: true }));
const templateMissing = !existsSync(storagePaths(env.BERTH_DATA_DIR).template('debian-12'));

describe.skipIf(templateMissing)('nesting (real containers)', () => {
  const driver = createLxcDriver({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
  let spec: TServerSpec | undefined;
  afterEach(async () => {
    if (spec) await driver.destroy(spec);
    spec = undefined;
  });

  const nestedContainerWorks = async (nesting: boolean) => {
    await prepareHost({ dataDir: env.BERTH_DATA_DIR, lxcPath: env.BERTH_LXC_PATH });
    spec = testSpec(248, { features: { nesting } });
    await driver.create(spec);
    await driver.start(spec);
    const inner = ['unshare', '--user', '--map-root-user', '--pid', '--fork', '--mount', '--mount-proc', 'cat', '/proc/1/comm'];
    try {
      const { stdout } = await run('lxc-attach', ['-P', env.BERTH_LXC_PATH, '-n', spec.serverId, '--clear-env', '--', ...inner]);
      return stdout.trim();
    } catch (e) {
      if (e instanceof CommandError) return `refused: ${e.stderr.trim()}`;
      throw e;
    }
  };

  it('is off by default: a nested container cannot mount its /proc', async () => {
    expect(await nestedContainerWorks(false)).toMatch(/^refused: .*(Operation not permitted|Permission denied)/);
  });

  it('works on a plan with nesting', async () => {
    expect(await nestedContainerWorks(true)).toBe('cat');
  });
});
