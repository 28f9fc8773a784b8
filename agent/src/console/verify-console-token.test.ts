import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signConsoleToken } from '../../../packages/core/src/console/sign-console-token.ts';
import { consoleVerifyKey, verifyConsoleToken } from './verify-console-token.ts';

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    priv: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    pub: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    key: privateKey,
  };
};

describe('console tickets', () => {
  const panel = pair();
  const key = consoleVerifyKey(panel.pub);
  const claims = { sid: 'srv_abcdefghjkmnpqrs', hid: 'host_abcdefghjk', uid: 'usr_abcdefghjk', exp: Math.floor(Date.now() / 1000) + 60 };

  it('accepts the panel\'s ticket for this host until it expires', () => {
    const token = signConsoleToken(panel.priv, claims);
    expect(verifyConsoleToken(key, token, claims.hid)).toMatchObject({ ...claims, v: 1 });
    expect(verifyConsoleToken(key, token, 'host_otherhost01')).toBeNull(); // another host's ticket
    expect(verifyConsoleToken(key, token, claims.hid, claims.exp + 1)).toBeNull(); // expired
  });

  it('refuses tampered claims, another key\'s signature and garbage', () => {
    const token = signConsoleToken(panel.priv, claims);
    const [body, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), sid: 'srv_zzzzzzzzzzzzzzzz' })).toString('base64url');
    expect(verifyConsoleToken(key, `${forged}.${sig}`, claims.hid)).toBeNull();
    const other = pair();
    expect(verifyConsoleToken(key, signConsoleToken(other.priv, claims), claims.hid)).toBeNull();
    const unsignedBody = Buffer.from('{"v":1}').toString('base64url');
    expect(verifyConsoleToken(key, `${unsignedBody}.${sign(null, Buffer.from(unsignedBody), panel.key).toString('base64url')}`, claims.hid)).toBeNull();
    for (const junk of ['', 'a', 'a.b', 'a.b.c', '..']) expect(verifyConsoleToken(key, junk, claims.hid)).toBeNull();
  });
});
