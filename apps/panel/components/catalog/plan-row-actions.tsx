'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import type { TPlan } from '@berth/contracts';
import { callApi } from '../api-client.ts';
import { FieldError } from '../field-error.tsx';
import { problemFields } from '../problem-fields.ts';

/** Reprice, or take off sale / put back on sale; servers already on the plan keep running on it. */
export function PlanRowActions({ plan }: { plan: TPlan }) {
  const router = useRouter();
  const [price, setPrice] = useState((plan.priceCentsMonthly / 100).toFixed(2));
  const [error, setError] = useState<string[] | undefined>();
  const patch = async (body: Record<string, unknown>) => {
    setError(undefined);
    const res = await callApi<TPlan>(`/api/v1/plans/${plan.id}`, { method: 'PATCH', body });
    if (!res.ok) {
      const { fields, other } = problemFields(res.problem, ['price'], { priceCentsMonthly: 'price' });
      return setError([...(fields.price ?? []), ...other]);
    }
    router.refresh();
  };
  const id = `price-${plan.id}`;
  return (
    <form className="row-actions" aria-label={`Change ${plan.name}`} onSubmit={(e) => {
      e.preventDefault();
      const n = Number(price);
      void patch({ priceCentsMonthly: price.trim() === '' || Number.isNaN(n) ? price : Math.round(n * 100) });
    }}>
      <label htmlFor={id} className="sr-only">Price of {plan.name} per month ($)</label>
      <input id={id} className="input-small" value={price} onChange={(e) => setPrice(e.target.value)} inputMode="decimal"
        aria-invalid={!!error} aria-describedby={error ? `${id}-error` : undefined} />
      <button type="submit" className="btn btn-small">Save price</button>
      <button type="button" className="btn btn-small" onClick={() => void patch({ active: !plan.active })}>
        {plan.active ? 'Retire' : 'Put on sale'}
      </button>
      <FieldError id={id} messages={error} />
    </form>
  );
}
