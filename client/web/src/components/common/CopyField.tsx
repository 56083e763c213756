import { useRef, useState } from 'preact/hooks';
import { useI18n } from './common';

/**
 * A secret or link to hand on (an invitation, a new API token): shown once, selected, with a
 * copy button. The clipboard API needs HTTPS or localhost; elsewhere the selected text is
 * copied the old way, and Ctrl+C still works on the selection.
 */
export function CopyField({ id, label, value, testId }: { id: string; label: string; value: string; testId: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    ref.current?.select();
    try {
      if (navigator.clipboard) await navigator.clipboard.writeText(value);
      else document.execCommand('copy');
      setCopied(true);
    } catch {
      setCopied(document.execCommand('copy'));
    }
  };
  return (
    <div class="copy-field">
      <label class="field grow" for={id}>
        <span>{label}</span>
      </label>
      <div class="row">
        <input ref={ref} id={id} class="grow mono" readOnly value={value} data-testid={testId} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}>
          {copied ? t.copied : t.copy}
        </button>
      </div>
    </div>
  );
}
