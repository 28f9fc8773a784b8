import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZCreateServerRequest, ZHostname } from './servers.ts';
import { ZSshPublicKey } from './ssh-key.ts';
import { newId, ZId } from './ids.ts';

const keyOf = (type: string, bits?: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'k-'));
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', bits] : []), '-N', '', '-C', 'me@laptop', '-f', path.join(dir, 'id')]);
  return readFileSync(path.join(dir, 'id.pub'), 'utf8').trim();
};

describe('ZHostname', () => {
  it.each(['web1', 'web-1.example.com', 'a', 'x'.repeat(63), 'WEB1.Example.COM'])('accepts %s', (h) =>
    expect(ZHostname.safeParse(h).success).toBe(true));
  it.each(['', '-web', 'web-', 'we_b', 'web..com', 'x'.repeat(64), 'a.'.repeat(127) + 'ab', 'héllo', 'a b'])('rejects %j', (h) =>
    expect(ZHostname.safeParse(h).success).toBe(false));
  it('normalizes to lower case', () => expect(ZHostname.parse(' Web1.Example.com ')).toBe('web1.example.com'));
});

describe('ZSshPublicKey', () => {
  it('accepts real ed25519, rsa and ecdsa keys', () => {
    for (const k of [keyOf('ed25519'), keyOf('rsa', '2048'), keyOf('ecdsa', '256')]) expect(ZSshPublicKey.safeParse(k).success).toBe(true);
  });
  it('rejects a key whose blob is another type, truncated, or with options or newlines', () => {
    const ed = keyOf('ed25519');
    const [, blob] = ed.split(' ');
    expect(ZSshPublicKey.safeParse(`ssh-rsa ${blob}`).success).toBe(false);
    expect(ZSshPublicKey.safeParse(`ssh-ed25519 ${blob!.slice(0, 20)}`).success).toBe(false);
    expect(ZSshPublicKey.safeParse(`command="sh" ${ed}`).success).toBe(false);
    expect(ZSshPublicKey.safeParse(`${ed}\n${ed}`).success).toBe(false);
    expect(ZSshPublicKey.safeParse('ssh-ed25519 !!!notbase64').success).toBe(false);
  });
});

describe('ids', () => {
  it('are prefixed, random and match their own schema only', () => {
    const a = newId('server');
    expect(a).toMatch(/^srv_[0-9a-z]{20}$/);
    expect(newId('server')).not.toBe(a);
    expect(ZId('server').safeParse(a).success).toBe(true);
    expect(ZId('host').safeParse(a).success).toBe(false);
  });
});

describe('ZCreateServerRequest', () => {
  it('reports every bad field with its path', () => {
    const r = ZCreateServerRequest.safeParse({ hostname: '-x', planId: 'nope', templateId: 'tpl_abcdefgh', rootPassword: 'short' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['hostname', 'planId', 'rootPassword']);
  });
});
