import { useEffect, useRef, useState } from 'preact/hooks';
import { EXPORT_AUDIENCES, type ExportAudience } from '../../../../shared/timeline/audience';
import type { Lang } from '../i18n';
import { ApiError, OfflineError } from '../http';
import { useI18n } from '../components/common/common';
import { MENU_FORMATS, type MenuFormat, type Progress, byteSize, exportUrl, fetchExport, knownTimeZone, saveFile } from './exportDownload';

const FORMAT_NAMES: Record<MenuFormat, string> = { json: 'JSON', csv: 'CSV', md: 'Markdown', html: 'HTML', pdf: 'PDF' };

type Run = { state: 'idle' } | { state: 'running'; progress: Progress } | { state: 'done'; fileName: string; received: number } | { state: 'failed'; message: string } | { state: 'cancelled' };

/**
 * The timeline tab's "Export…" menu: a native modal <dialog> (focus held inside, Esc closes,
 * focus back on the button) with the format, the audience, the document's language and time
 * zone (the reader's by default) and key events only. The file is streamed from the REST
 * export route with the bytes received shown, and can be cancelled while it comes.
 */
export function ExportMenu({ incidentId }: { incidentId: string }) {
  const i18n = useI18n();
  const w = i18n.t.friction;
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [format, setFormat] = useState<MenuFormat>('pdf');
  const [audience, setAudience] = useState<ExportAudience>('nominative');
  const [lang, setLang] = useState<Lang>(i18n.lang);
  const [tz, setTz] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [keyOnly, setKeyOnly] = useState(false);
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const abort = useRef<AbortController | null>(null);
  const zoneOk = knownTimeZone(tz.trim());

  // Leaving the tab cancels a download under way.
  useEffect(() => () => abort.current?.abort(), []);

  const start = async () => {
    if (!zoneOk || run.state === 'running') return;
    const ctrl = new AbortController();
    abort.current = ctrl;
    setRun({ state: 'running', progress: { received: 0, total: null } });
    try {
      const file = await fetchExport(exportUrl(incidentId, { format, audience, lang, tz: tz.trim(), keyOnly }), (progress) => setRun({ state: 'running', progress }), ctrl.signal);
      saveFile(file);
      setRun({ state: 'done', fileName: file.fileName, received: file.blob.size });
    } catch (err) {
      if (ctrl.signal.aborted) setRun({ state: 'cancelled' });
      else setRun({ state: 'failed', message: err instanceof OfflineError ? i18n.t.listOffline : err instanceof ApiError ? `${err.code}: ${err.message}` : String(err) });
    } finally {
      if (abort.current === ctrl) abort.current = null;
    }
  };

  const size = (n: number) => byteSize(n, i18n.locale, i18n.lang);
  const running = run.state === 'running';
  return (
    <>
      <button
        type="button"
        class="small"
        aria-haspopup="dialog"
        data-testid="tl-export"
        onClick={() => {
          if (run.state !== 'running') setRun({ state: 'idle' });
          dialogRef.current?.showModal();
        }}
      >
        ⤓ {w.exportOpen}
      </button>
      <dialog ref={dialogRef} class="export-dialog" aria-labelledby="tl-export-title" data-testid="tl-export-dialog" onKeyDown={(e) => e.stopPropagation()}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <h2 id="tl-export-title">{w.exportTitle}</h2>
          <label class="field">
            <span>{w.exportFormat}</span>
            <select data-testid="tl-export-format" value={format} disabled={running} onChange={(e) => setFormat(e.currentTarget.value as MenuFormat)}>
              {MENU_FORMATS.map((f) => (
                <option value={f}>{FORMAT_NAMES[f]}</option>
              ))}
            </select>
          </label>
          <fieldset class="field" disabled={running}>
            <legend>{w.exportAudience}</legend>
            {EXPORT_AUDIENCES.map((a) => (
              <label class="check">
                <input type="radio" name="tl-export-audience" value={a} data-testid={`tl-export-audience-${a}`} checked={audience === a} onChange={() => setAudience(a)} />
                <span>{a === 'nominative' ? w.audienceNominative : w.audienceAnonymised}</span>
              </label>
            ))}
          </fieldset>
          <label class="field">
            <span>{w.exportLang}</span>
            <select data-testid="tl-export-lang" value={lang} disabled={running} onChange={(e) => setLang(e.currentTarget.value as Lang)}>
              <option value="fr" lang="fr">
                Français
              </option>
              <option value="en" lang="en">
                English
              </option>
            </select>
          </label>
          <label class="field">
            <span>{w.exportZone}</span>
            <input data-testid="tl-export-tz" value={tz} disabled={running} maxLength={64} aria-invalid={!zoneOk} aria-describedby={zoneOk ? undefined : 'tl-export-tz-bad'} onInput={(e) => setTz(e.currentTarget.value)} />
          </label>
          {!zoneOk && (
            <p class="error" id="tl-export-tz-bad">
              {w.exportZoneBad}
            </p>
          )}
          <label class="check">
            <input type="checkbox" data-testid="tl-export-key" checked={keyOnly} disabled={running} onChange={(e) => setKeyOnly(e.currentTarget.checked)} />
            <span>★ {w.exportKeyOnly}</span>
          </label>
          <div role="status" aria-live="polite" data-testid="tl-export-status" data-state={run.state} data-received={run.state === 'running' ? run.progress.received : run.state === 'done' ? run.received : undefined}>
            {run.state === 'running' && (
              <>
                <progress data-testid="tl-export-progress" max={run.progress.total ?? undefined} value={run.progress.total ? run.progress.received : undefined} />{' '}
                {run.progress.received === 0 ? w.exportWaiting : run.progress.total ? w.exportReceivedOf(size(run.progress.received), size(run.progress.total)) : w.exportReceived(size(run.progress.received))}
              </>
            )}
            {run.state === 'done' && w.exportDone(run.fileName)}
            {run.state === 'cancelled' && w.exportCancelled}
            {run.state === 'failed' && (
              <span class="error">
                {w.exportFailed} — {run.message}
              </span>
            )}
          </div>
          {/* Keyed apart: the cancel button must not become the submit button under the click that cancels (it would start again). */}
          <div class="row">
            {running ? (
              <button key="cancel" type="button" data-testid="tl-export-cancel" onClick={() => abort.current?.abort()}>
                {w.exportCancel}
              </button>
            ) : (
              <button key="go" type="submit" class="primary" data-testid="tl-export-go" disabled={!zoneOk}>
                {w.exportGo}
              </button>
            )}
            <button type="button" class="ghost" data-testid="tl-export-close" onClick={() => dialogRef.current?.close()}>
              {w.exportClose}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
