'use client';
import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import { callApi } from '../api-client.ts';
import { FieldError } from '../field-error.tsx';
import { toMinorUnits } from '../format.ts';
import { problemFields, type TFieldMessages } from '../problem-fields.ts';

type TProps = { tenantId: string; currency: string; canRecordPayments: boolean };

/** One money form: posts, then shows the server's field errors next to the fields or refreshes the page. */
function MoneyForm({ title, fields, submit, onDone, children }: {
  title: string; fields: readonly string[]; submit: (f: FormData) => Promise<Awaited<ReturnType<typeof callApi>> | TFieldMessages>;
  onDone: () => void; children: (errors: TFieldMessages) => React.ReactNode;
}) {
  const [errors, setErrors] = useState<TFieldMessages>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    setErrors({});
    setFormError(null);
    setDone(null);
    const res = await submit(new FormData(formEl));
    if (!('ok' in res)) return setErrors(res as TFieldMessages);
    if (res.ok) {
      formEl.reset();
      setDone('Recorded.');
      onDone();
      return;
    }
    const { fields: placed, other } = problemFields(res.problem, fields);
    setErrors(placed);
    setFormError(other.length ? other.join(' ') : null);
  };
  return (
    <form className="card stack-sm" aria-label={title} onSubmit={onSubmit} noValidate>
      <h2>{title}</h2>
      {formError && <p className="alert alert-error" role="alert">{formError}</p>}
      {done && <p className="alert" role="status">{done}</p>}
      {children(errors)}
    </form>
  );
}

const Field = ({ id, label, errors, name, ...rest }: { id: string; label: string; errors: TFieldMessages; name: string } & React.InputHTMLAttributes<HTMLInputElement>) => (
  <div className="field">
    <label htmlFor={id}>{label}</label>
    <input id={id} name={name} aria-invalid={!!errors[name]} aria-describedby={errors[name] ? `${id}-error` : undefined} {...rest} />
    <FieldError id={id} messages={errors[name]} />
  </div>
);

/** Admins and resellers on a customer's billing page: credit, refund, charge or adjust; admins record payments. */
export function BalanceForms({ tenantId, currency, canRecordPayments }: TProps) {
  const router = useRouter();
  const amountOf = (f: FormData) => toMinorUnits(String(f.get('amountCents') ?? ''), currency);
  const badAmount = { amountCents: [`Enter an amount in ${currency}, e.g. 12.50.`] };
  return (
    <div className="grid-2">
      <MoneyForm title="Adjust the balance" fields={['kind', 'amountCents', 'reason']} onDone={() => router.refresh()}
        submit={async (f) => {
          const amountCents = amountOf(f);
          if (amountCents === null) return badAmount;
          return callApi('/api/v1/billing/ledger', { method: 'POST', body: { tenantId, kind: String(f.get('kind')), amountCents, reason: String(f.get('reason') ?? '') } });
        }}>
        {(errors) => (
          <>
            <div className="field">
              <label htmlFor="entry-kind">Kind</label>
              <select id="entry-kind" name="kind" defaultValue="credit">
                <option value="credit">Credit (adds to the balance)</option>
                <option value="refund">Refund of a charge (adds)</option>
                <option value="charge">Charge (takes from the balance)</option>
                <option value="adjustment">Adjustment (signed correction)</option>
              </select>
            </div>
            <Field id="entry-amount" name="amountCents" label={`Amount (${currency})`} inputMode="decimal" errors={errors} />
            <Field id="entry-reason" name="reason" label="Reason (the customer sees it)" errors={errors} />
            <div className="form-actions"><button type="submit" className="btn">Add to ledger</button></div>
          </>
        )}
      </MoneyForm>
      {canRecordPayments && (
        <MoneyForm title="Record a payment" fields={['amountCents', 'reference']} onDone={() => router.refresh()}
          submit={async (f) => {
            const amountCents = amountOf(f);
            if (amountCents === null) return badAmount;
            return callApi('/api/v1/billing/payments', { method: 'POST', body: { tenantId, amountCents, currency, provider: 'manual', reference: String(f.get('reference') ?? '') } });
          }}>
          {(errors) => (
            <>
              <Field id="payment-amount" name="amountCents" label={`Amount received (${currency})`} inputMode="decimal" errors={errors} />
              <Field id="payment-reference" name="reference" label="Reference (bank transfer id, receipt number)" errors={errors} />
              <div className="form-actions"><button type="submit" className="btn btn-primary">Record payment</button></div>
            </>
          )}
        </MoneyForm>
      )}
    </div>
  );
}
