'use client';
import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import type { TTemplate } from '@berth/contracts';
import { callApi, problemMessage } from '../api-client.ts';
import { FieldError } from '../field-error.tsx';
import { problemFields, type TFieldMessages } from '../problem-fields.ts';

const FIELDS = ['name', 'label', 'imageRef'] as const;

/** Admins: withdraw a template from new orders (servers installed from it keep running) or offer it again. */
export function TemplateToggle({ template }: { template: TTemplate }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button type="button" className="btn btn-small" onClick={async () => {
        const res = await callApi(`/api/v1/templates/${template.id}`, { method: 'PATCH', body: { active: !template.active } });
        if (res.ok) router.refresh();
        else setError(problemMessage(res.problem));
      }}>{template.active ? 'Retire' : 'Offer again'}</button>
      {error && <span className="field-error" role="alert">{error}</span>}
    </>
  );
}

/** Admins register an image the agents build (agent/scripts/build-template.sh) under a name customers see. */
export function NewTemplateForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<TFieldMessages>({});
  const [formError, setFormError] = useState<string | null>(null);
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const f = new FormData(formEl);
    setErrors({});
    setFormError(null);
    const res = await callApi<TTemplate>('/api/v1/templates', {
      method: 'POST', body: Object.fromEntries(FIELDS.map((k) => [k, String(f.get(k) ?? '')])),
    });
    if (res.ok) {
      formEl.reset();
      router.refresh();
      return;
    }
    const { fields, other } = problemFields(res.problem, FIELDS);
    setErrors(fields);
    setFormError(other.length ? other.join(' ') : null);
  };
  return (
    <form className="stack-sm" aria-labelledby="new-template-title" onSubmit={onSubmit} noValidate>
      <h3 id="new-template-title">Register a template</h3>
      {formError && <p className="alert alert-error" role="alert">{formError}</p>}
      <div className="form-grid">
        {([['name', 'Name', 'debian-12'], ['label', 'Label', 'Debian 12 (bookworm)'], ['imageRef', 'Image on the hosts', 'debian-12']] as const).map(([k, label, ph]) => (
          <div className="field" key={k}>
            <label htmlFor={`tpl-${k}`}>{label}</label>
            <input id={`tpl-${k}`} name={k} placeholder={ph} spellCheck={false} aria-invalid={!!errors[k]}
              aria-describedby={errors[k] ? `tpl-${k}-error` : undefined} />
            <FieldError id={`tpl-${k}`} messages={errors[k]} />
          </div>
        ))}
      </div>
      <div className="form-actions"><button type="submit" className="btn">Register template</button></div>
    </form>
  );
}
