import type { RejectedEdit } from '../../../../sdk/incidentSession';
import { CopyField } from '../common/CopyField';
import { useI18n } from '../common/common';

/**
 * What the server refused for good, said in words, with what the user had typed in it to copy
 * back (a refused log entry's text is also put back in the quick-entry line). Everything else
 * they had pending was kept and is being sent: the notice says so.
 */
export function RefusalNotice({ refusals, onClose }: { refusals: RejectedEdit[]; onClose: () => void }) {
  const { t } = useI18n();
  const last = refusals[refusals.length - 1];
  if (!last) return null;
  const reason = t.refusalReasons[last.error.code] ?? last.error.message;
  const texts = refusals.flatMap((r) => r.texts);
  return (
    <div class="banner error refusal" role="alert" data-testid="refusal" data-code={last.error.code}>
      <p>
        <strong>{last.entries.length > 0 ? t.refusedEntry : t.refusedEdit}</strong> : {reason}. {t.refusedKept}{' '}
        <button type="button" class="small ghost" onClick={onClose}>
          {t.close}
        </button>
      </p>
      {texts.length > 0 && <CopyField id="refused-text" label={t.refusedText} value={texts.join('\n')} testId="refused-text" />}
    </div>
  );
}
