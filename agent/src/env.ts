import { readFileSync } from 'node:fs';
import { loadEnv, ZAgentEnv, type TAgentEnv } from '@berth/config';

/** The agent's environment, parsed once at boot (process.env is read nowhere else). */
export const loadAgentEnv = (): TAgentEnv => loadEnv(ZAgentEnv);

/** Reported in heartbeats so the panel can tell which agents need an upgrade. */
export const AGENT_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
