import { getAccount, listApiKeys, listSshKeys, listWebhooks, SCOPES } from '@berth/core';
import { ApiKeysSection } from '../../../../components/account/api-keys-section.tsx';
import { PasswordSection } from '../../../../components/account/password-section.tsx';
import { SshKeysSection } from '../../../../components/account/ssh-keys-section.tsx';
import { WebhooksSection } from '../../../../components/account/webhooks-section.tsx';
import { TwoFactorSection } from '../../../../components/account/two-factor-section.tsx';
import { requireSession } from '../../../../server/ui-session.ts';

export const metadata = { title: 'Account' };

/** The signed-in person's own account: two-factor sign-in, API keys, SSH keys (same core verbs as the API). */
export default async function AccountPage() {
  const { db, principal } = await requireSession();
  const [account, keys, sshKeys, hooks] = await Promise.all([
    getAccount({ db, principal }),
    listApiKeys({ db, principal, query: { limit: 200 } }),
    listSshKeys({ db, principal, query: { limit: 200 } }),
    listWebhooks({ db, principal, query: { limit: 200 } }),
  ]);
  const grantable = principal.role === 'admin' ? [...SCOPES] : SCOPES.filter((s) => principal.scopes.includes(s));
  return (
    <div className="stack">
      <div className="page-head"><h1>Account</h1></div>
      <section className="card stack-sm" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <p>{account.user.name} · {account.user.email} · {account.user.role}{account.user.subUser ? ' (sub-user)' : ''}</p>
      </section>
      <PasswordSection />
      <TwoFactorSection enabled={account.totpEnabled} />
      <ApiKeysSection keys={keys.data} grantable={grantable} />
      <SshKeysSection keys={sshKeys.data} />
      {!principal.subUser && <WebhooksSection hooks={hooks.data} />}
    </div>
  );
}
