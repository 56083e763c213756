import { useEffect, useRef, useState } from 'preact/hooks';
import { EXPORT_AUDIENCES } from '../../../../shared/timeline/audience';
import type { Lang } from '../i18n';
import { ApiError, OfflineError } from '../http';
import { useI18n } from '../components/common/common';
import { type ExportChoice, MENU_FORMATS, type MenuFormat, type Progress, byteSize, exportUrl, fetchExport, knownTimeZone, saveFile } from './exportDownload';

const FORMAT_NAMES: Record<MenuFormat, string> = { json: 'JSON', csv: 'CSV', md: 'Markdown', html: 'HTML', pdf: 'PDF' };

type Run = { state: 'idle' } | { state: 'running'; progress: Progress } | { state: 'done'; fileName: string; received: number } | { state: 'failed'; message: string } | { state: 'cancelled' };

/**
 * One download at a time: started with the menu's choices, its progress and outcome in `run`,
 * cancelled on demand or when the tab is left.
 */
function useExportRun(incidentId: string) {
  const i18n = useI18n();
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const abort = useRef<AbortController | null>(null);

  // Leaving the tab cancels a download under way.
  useEffect(() => () => abort.current?.abort(), []);

  const start = async (choice: ExportChoice) => {
    if (!knownTimeZone(choice.tz.trim()) || run.state === 'running') return;
    const ctrl = new AbortController();
    abort.current = ctrl;
    setRun({ state: 'running', progress: { received: 0, total: null } });
    try {
      const file = await fetchExport(exportUrl(incidentId, { ...choice, tz: choice.tz.trim() }), (progress) => setRun({ state: 'running', progress }), ctrl.signal);
      saveFile(file);
      setRun({ state: 'done', fileName: file.fileName, received: file.blob.size });
    } catch (err) {
      if (ctrl.signal.aborted) setRun({ state: 'cancelled' });
      else setRun({ state: 'failed', message: err instanceof OfflineError ? i18n.t.listOffline : err instanceof ApiError ? `${err.code}: ${err.message}` : String(err) });
    } finally {
      if (abort.current === ctrl) abort.current = null;
    }
  };
  /** The last outcome is forgotten when the menu opens again (a download under way stays shown). */
  const reopen = () => {
    if (run.state !== 'running') setRun({ state: 'idle' });
  };
  return { run, start, reopen, cancel: () => abort.current?.abort() };
}

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
  const [choice, setChoice] = useState<ExportChoice>(() => ({ format: 'pdf', audience: 'nominative', lang: i18n.lang, tz: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', keyOnly: false }));
  const { run, start, reopen, cancel } = useExportRun(incidentId);
  const zoneOk = knownTimeZone(choice.tz.trim());
  const running = run.state === 'running';
  return (
    <>
      <button
        type="button"
        class="small"
        aria-haspopup="dialog"
        data-testid="tl-export"
        onClick={() => {
          reopen();
          dialogRef.current?.showModal();
        }}
      >
        ⤓ {w.exportOpen}
      </button>
      <dialog ref={dialogRef} class="export-dialog" aria-labelledby="tl-export-title" data-testid="tl-export-dialog" onKeyDown={(e) => e.stopPropagation()}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void start(choice);
          }}
        >
          <h2 id="tl-export-title">{w.exportTitle}</h2>
          <ExportChoices choice={choice} patch={(change) => setChoice((c) => ({ ...c, ...change }))} running={running} zoneOk={zoneOk} />
          <ExportStatus run={run} />
          {/* Keyed apart: the cancel button must not become the submit button under the click that cancels (it would start again). */}
          <div class="row">
            {running ? (
              <button key="cancel" type="button" data-testid="tl-export-cancel" onClick={cancel}>
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

/** The menu's fields: format, audience, language, time zone and key events only (locked while a download runs). */
function ExportChoices({ choice, patch, running, zoneOk }: { choice: ExportChoice; patch: (change: Partial<ExportChoice>) => void; running: boolean; zoneOk: boolean }) {
  const w = useI18n().t.friction;
  return (
    <>
      <label class="field">
        <span>{w.exportFormat}</span>
        <select data-testid="tl-export-format" value={choice.format} disabled={running} onChange={(e) => patch({ format: e.currentTarget.value as MenuFormat })}>
          {MENU_FORMATS.map((f) => (
            <option value={f}>{FORMAT_NAMES[f]}</option>
          ))}
        </select>
      </label>
      <fieldset class="field" disabled={running}>
        <legend>{w.exportAudience}</legend>
        {EXPORT_AUDIENCES.map((a) => (
          <label class="check">
            <input type="radio" name="tl-export-audience" value={a} data-testid={`tl-export-audience-${a}`} checked={choice.audience === a} onChange={() => patch({ audience: a })} />
            <span>{a === 'nominative' ? w.audienceNominative : w.audienceAnonymised}</span>
          </label>
        ))}
      </fieldset>
      <label class="field">
        <span>{w.exportLang}</span>
        <select data-testid="tl-export-lang" value={choice.lang} disabled={running} onChange={(e) => patch({ lang: e.currentTarget.value as Lang })}>
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
        <input data-testid="tl-export-tz" value={choice.tz} disabled={running} maxLength={64} aria-invalid={!zoneOk} aria-describedby={zoneOk ? undefined : 'tl-export-tz-bad'} onInput={(e) => patch({ tz: e.currentTarget.value })} />
      </label>
      {!zoneOk && (
        <p class="error" id="tl-export-tz-bad">
          {w.exportZoneBad}
        </p>
      )}
      <label class="check">
        <input type="checkbox" data-testid="tl-export-key" checked={choice.keyOnly} disabled={running} onChange={(e) => patch({ keyOnly: e.currentTarget.checked })} />
        <span>★ {w.exportKeyOnly}</span>
      </label>
    </>
  );
}

/** The download's progress or outcome, read out as it changes. */
function ExportStatus({ run }: { run: Run }) {
  const i18n = useI18n();
  const w = i18n.t.friction;
  const size = (n: number) => byteSize(n, i18n.locale, i18n.lang);
  return (
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
  );
}
