'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { callApi } from '../api-client.ts';
import { FieldError } from '../field-error.tsx';
import { toMinorUnits } from '../format.ts';
import { problemFields } from '../problem-fields.ts';

type TProps = { resellerId: string; planId: string; planName: string; kind: 'wholesale' | 'retail'; monthlyCents: number | null; currency: string };

/** One editable reseller price: a monthly amount (the hourly rate follows), saved or cleared back to list. */
export function PriceCell({ resellerId, planId, planName, kind, monthlyCents, currency }: TProps) {
  const router = useRouter();
  const [value, setValue] = useState(monthlyCents === null ? '' : (monthlyCents / 100).toFixed(2));
  const [error, setError] = useState<string[] | undefined>();
  const id = `${kind}-${planId}`;
  const put = async (cents: number | null) => {
    setError(undefined);
    const res = await callApi('/api/v1/billing/prices', { method: 'PUT', body: { resellerId, planId, kind, monthlyCents: cents } });
    if (!res.ok) {
      const { fields, other } = problemFields(res.problem, ['monthlyCents']);
      return setError([...(fields.monthlyCents ?? []), ...other]);
    }
    if (cents === null) setValue('');
    router.refresh();
  };
  return (
    <form className="row-actions" aria-label={`${kind} price of ${planName}`} onSubmit={(e) => {
      e.preventDefault();
      const cents = toMinorUnits(value, currency);
      if (cents === null || cents < 0) return setError([`Enter a monthly amount in ${currency}, e.g. 4.50.`]);
      void put(cents);
    }}>
      <label htmlFor={id} className="sr-only">{kind === 'wholesale' ? 'Wholesale' : 'Retail'} price of {planName} per month</label>
      <input id={id} className="input-small" value={value} placeholder="list" inputMode="decimal" onChange={(e) => setValue(e.target.value)}
        aria-invalid={!!error} aria-describedby={error ? `${id}-error` : undefined} />
      <button type="submit" className="btn btn-small">Save</button>
      {monthlyCents !== null && <button type="button" className="btn btn-small" onClick={() => void put(null)}>Use list</button>}
      <FieldError id={id} messages={error} />
    </form>
  );
}
