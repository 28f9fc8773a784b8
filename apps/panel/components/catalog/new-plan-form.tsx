'use client';
import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import type { TPlan } from '@berth/contracts';
import { callApi } from '../api-client.ts';
import { FieldError } from '../field-error.tsx';
import { problemFields, type TFieldMessages } from '../problem-fields.ts';

// Form fields in the units people think in; the API's names where they are the same.
const FIELDS = ['name', 'cpuCores', 'memoryMb', 'swapMb', 'diskGb', 'ioMbps', 'pidsMax', 'price', 'transferGb', 'overage', 'overageAction', 'throttleMbit', 'nesting'] as const;
const ALIAS = { priceCentsMonthly: 'price', ioReadBps: 'ioMbps', ioWriteBps: 'ioMbps', overageCentsPerGb: 'overage' };
const MB = 1024 * 1024;

/** Numbers as typed: an empty or non-numeric field goes to the API as typed so it explains what is wrong. */
const num = (v: FormDataEntryValue | null) => {
  const s = String(v ?? '').trim();
  return s === '' || Number.isNaN(Number(s)) ? s : Number(s);
};

/** Admins and resellers put a plan on sale; limits are fixed once created, so the form says so. */
export function NewPlanForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<TFieldMessages>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const f = new FormData(formEl);
    const price = num(f.get('price'));
    const io = num(f.get('ioMbps'));
    const transfer = num(f.get('transferGb'));
    const overage = num(f.get('overage'));
    setBusy(true);
    setErrors({});
    setFormError(null);
    setDone(null);
    const res = await callApi<TPlan>('/api/v1/plans', {
      method: 'POST',
      body: {
        name: String(f.get('name') ?? ''),
        cpuCores: num(f.get('cpuCores')), memoryMb: num(f.get('memoryMb')), swapMb: num(f.get('swapMb')), diskGb: num(f.get('diskGb')),
        pidsMax: num(f.get('pidsMax')),
        ...(io === '' ? {} : { ioReadBps: typeof io === 'number' ? Math.round(io * MB) : io, ioWriteBps: typeof io === 'number' ? Math.round(io * MB) : io }),
        priceCentsMonthly: typeof price === 'number' ? Math.round(price * 100) : price,
        ...(transfer === '' ? {} : { transferGb: transfer }),
        ...(overage === '' ? {} : { overageCentsPerGb: typeof overage === 'number' ? Math.round(overage * 100) : overage }),
        overageAction: String(f.get('overageAction') ?? 'bill'),
        ...(num(f.get('throttleMbit')) === '' ? {} : { throttleMbit: num(f.get('throttleMbit')) }),
        nesting: f.get('nesting') === 'on',
      },
    });
    setBusy(false);
    if (res.ok) {
      setDone(`${res.data.name} is on sale.`);
      formEl.reset();
      router.refresh();
      return;
    }
    const { fields, other } = problemFields(res.problem, FIELDS, ALIAS);
    setErrors(fields);
    setFormError(other.length ? other.join(' ') : null);
  };

  const field = (name: (typeof FIELDS)[number], label: string, props: Record<string, unknown>, hint?: string) => (
    <div className="field">
      <label htmlFor={`plan-${name}`}>{label}</label>
      <input id={`plan-${name}`} name={name} aria-invalid={!!errors[name]}
        aria-describedby={[hint ? `plan-${name}-hint` : '', errors[name] ? `plan-${name}-error` : ''].filter(Boolean).join(' ') || undefined} {...props} />
      {hint && <p id={`plan-${name}-hint`} className="hint">{hint}</p>}
      <FieldError id={`plan-${name}`} messages={errors[name]} />
    </div>
  );

  return (
    <form className="card stack-sm" aria-labelledby="new-plan-title" onSubmit={onSubmit} noValidate>
      <h2 id="new-plan-title">New plan</h2>
      <p className="hint">Limits cannot change once servers use a plan: to offer more, add a plan and retire the old one.</p>
      {formError && <p className="alert alert-error" role="alert">{formError}</p>}
      {done && <p className="alert" role="status">{done}</p>}
      <div className="form-grid">
        {field('name', 'Name', { required: true, autoComplete: 'off' })}
        {field('cpuCores', 'vCPU', { inputMode: 'decimal', defaultValue: '1' }, 'Cores of CPU time; 0.5 is half a core.')}
        {field('memoryMb', 'Memory (MB)', { inputMode: 'numeric', defaultValue: '1024' })}
        {field('swapMb', 'Swap (MB)', { inputMode: 'numeric', defaultValue: '0' })}
        {field('diskGb', 'Disk (GB)', { inputMode: 'numeric', defaultValue: '20' })}
        {field('ioMbps', 'Disk IO (MB/s)', { inputMode: 'decimal', placeholder: 'unlimited' }, 'Read and write each; empty for no cap.')}
        {field('pidsMax', 'Processes', { inputMode: 'numeric', defaultValue: '1024' })}
        {field('price', 'Price per month ($)', { inputMode: 'decimal', defaultValue: '5.00' })}
        {field('transferGb', 'Transfer (GB/month)', { inputMode: 'numeric', placeholder: 'unmetered' }, 'In + out; empty for no allowance.')}
        <div className="field">
          <label htmlFor="plan-overageAction">Beyond the allowance</label>
          <select id="plan-overageAction" name="overageAction" defaultValue="bill">
            <option value="bill">Bill per GB</option>
            <option value="throttle">Throttle the link</option>
          </select>
        </div>
        {field('overage', 'Overage price ($/GB)', { inputMode: 'decimal', placeholder: '0.00' })}
        {field('throttleMbit', 'Throttled to (Mbit/s)', { inputMode: 'numeric', defaultValue: '10' })}
      </div>
      <label className="check"><input type="checkbox" name="nesting" /> Allow containers inside (nesting)</label>
      <div className="form-actions"><button type="submit" className="btn btn-primary" disabled={busy}>Add plan</button></div>
    </form>
  );
}
