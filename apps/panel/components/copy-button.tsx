'use client';
import { useState } from 'react';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // Clipboard access needs a secure context; the text stays selectable by hand.
    }
  };
  return (
    <button type="button" className="btn btn-small" onClick={copy} aria-label={`${label}: ${text}`}>
      {copied ? 'Copied' : label}
    </button>
  );
}
