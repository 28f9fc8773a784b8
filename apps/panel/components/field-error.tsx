/** A field's error text, linked to its input through aria-describedby={`${id}-error`}. */
export function FieldError({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <p id={`${id}-error`} className="field-error">
      {messages.join(' ')}
    </p>
  );
}
