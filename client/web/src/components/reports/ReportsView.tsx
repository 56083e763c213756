import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import type { IncidentMeta } from '../../../../../shared/model/incident';
import { REPORT_SECTIONS, type Report, type ReportSection } from '../../../../../shared/model/reports';
import { ComputedDraftSchema } from '../../../../../shared/model/reportDraft';
import { DEFAULT_CADENCE_MINUTES, MAX_CADENCE_MINUTES, MIN_CADENCE_MINUTES, nextReportAtPublishing } from '../../../../../shared/model/reportCadence';
import { useExerciseClock } from '../regulatory/exerciseClock';
import { applyTextDiff } from '../../../../../shared/docs/textDiff';
import type { OpenIncident } from '../../connection';
import { request } from '../../http';
import { reportWords } from '../../i18n';
import { Kbd, useI18n } from '../common/common';
import { ReportCountdown, useReports } from './ReportCountdown';

/**
 * The situation reports: the countdown to the next one, the cadence (the director's), a new
 * draft filled from the journal, the sections written together, publication (which seals the
 * report), exports. Readers who cannot write (observers) see published reports only.
 */
export function ReportsView({ open, meta, addRef, canWrite, canManage }: { open: OpenIncident; meta: IncidentMeta | null; addRef: { current: HTMLElement | null }; canWrite: boolean; canManage: boolean }) {
  const i18n = useI18n();
  const w = reportWords(i18n.lang);
  const all = useReports(open);
  const visible = useMemo(() => [...all].filter((r) => canWrite || r.status === 'published').reverse(), [all, canWrite]);
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const current = visible.find((r) => r.id === selected) ?? visible.find((r) => r.status === 'draft') ?? visible[0] ?? null;

  const newReport = async () => {
    if (!meta) return;
    setBusy(true);
    setNotice(null);
    const { session } = open;
    let report: Report;
    try {
      const draft = await request(`/api/incidents/${session.incidentId}/reports/draft?lang=${i18n.lang}&tz=${encodeURIComponent(i18n.timeZone)}`, ComputedDraftSchema, { timeoutMs: 30_000 });
      report = session.createReport({ windowFrom: draft.window.from, windowTo: draft.window.to, nextReportAt: draft.nextReportAt, sections: draft.sections });
    } catch {
      // Offline or refused: an empty draft still lets the cell write it by hand.
      const from = all.filter((r) => r.status === 'published').reduce((f, r) => (r.windowTo > f ? r.windowTo : f), meta.openedAt);
      const to = session.now().toISOString();
      report = session.createReport({ windowFrom: from <= to ? from : to, windowTo: to });
      setNotice(w.draftFailed);
    } finally {
      setBusy(false);
    }
    setSelected(report.id);
  };

  return (
    <section class="reports-view" aria-label={w.reportsLabel} data-testid="reports-view">
      <div class="reports-head">
        {meta && <ReportCountdown meta={meta} reports={all} large />}
        {canWrite && (
          <button type="button" class="primary" ref={(el) => {
              // Alt+A (the room's "add" key) focuses this button here.
              addRef.current = el;
            }} onClick={() => void newReport()} disabled={busy || !meta} data-testid="new-report">
            {busy ? w.computing : w.newReport} <Kbd>Alt+A</Kbd>
          </button>
        )}
        {canManage && meta && <CadenceField open={open} meta={meta} />}
      </div>
      {notice && (
        <p class="banner warn" role="status">
          {notice}
        </p>
      )}
      {visible.length === 0 && <p class="empty">{canWrite ? w.noReports : w.noPublished}</p>}
      {visible.length > 0 && (
        <div class="reports-layout">
          <nav class="report-list" aria-label={w.list}>
            <ol>
              {visible.map((r) => (
                <li>
                  <button type="button" class={`report-item${current?.id === r.id ? ' active' : ''}`} aria-current={current?.id === r.id} data-testid="report-item" data-status={r.status} onClick={() => setSelected(r.id)}>
                    <span class="report-num">{w.reportTitle(r.number)}</span>
                    <span class={`badge report-${r.status}`}>{r.status === 'published' ? w.published : w.draft}</span>
                    <span class="muted">{i18n.shortTime(r.publishedAt ?? r.createdAt)}</span>
                  </button>
                </li>
              ))}
            </ol>
          </nav>
          {current && <ReportCard key={current.id} open={open} meta={meta} report={current} canWrite={canWrite} />}
        </div>
      )}
    </section>
  );
}

function CadenceField({ open, meta }: { open: OpenIncident; meta: IncidentMeta }) {
  const i18n = useI18n();
  const w = reportWords(i18n.lang);
  const [value, setValue] = useState(String(meta.reportCadenceMinutes ?? ''));
  useEffect(() => setValue(String(meta.reportCadenceMinutes ?? '')), [meta.reportCadenceMinutes]);
  const apply = (e: Event) => {
    e.preventDefault();
    const n = Number(value);
    if (value.trim() === '') open.session.setReportCadence(null);
    else if (Number.isInteger(n) && n >= MIN_CADENCE_MINUTES && n <= MAX_CADENCE_MINUTES) open.session.setReportCadence(n);
  };
  return (
    <form class="cadence" onSubmit={apply} data-testid="cadence-form">
      <label class="field compact">
        <span>{w.cadence}</span>
        <input type="number" inputMode="numeric" min={MIN_CADENCE_MINUTES} max={MAX_CADENCE_MINUTES} value={value} placeholder={String(DEFAULT_CADENCE_MINUTES[meta.severity])} onInput={(e) => setValue(e.currentTarget.value)} data-testid="cadence-input" />
      </label>
      <button type="submit" class="small">
        {w.cadenceApply}
      </button>
      <span class="muted small-text">{w.cadenceDefault(DEFAULT_CADENCE_MINUTES[meta.severity])}</span>
    </form>
  );
}

function ReportCard({ open, meta, report: r, canWrite }: { open: OpenIncident; meta: IncidentMeta | null; report: Report; canWrite: boolean }) {
  const i18n = useI18n();
  const w = reportWords(i18n.lang);
  const [confirming, setConfirming] = useState(false);
  const exercise = useExerciseClock(meta);
  const editable = canWrite && r.status === 'draft';
  const base = `/api/incidents/${open.session.incidentId}/reports/${r.id}`;
  const query = `lang=${i18n.lang}&tz=${encodeURIComponent(i18n.timeZone)}`;
  return (
    <article class={`report-card report-${r.status}`} data-testid="report" data-id={r.id} data-status={r.status} aria-label={w.reportTitle(r.number)}>
      <header class="report-card-head">
        <h2>{w.reportTitle(r.number)}</h2>
        {r.status === 'published' ? (
          <span class="badge sealed" data-testid="sealed">
            {w.sealed}
          </span>
        ) : (
          <span class="badge report-draft">{w.draft}</span>
        )}
      </header>
      <p class="report-meta">
        {w.period}{i18n.t.colon} <time dateTime={r.windowFrom}>{i18n.dateTime(r.windowFrom)}</time> → <time dateTime={r.windowTo}>{i18n.dateTime(r.windowTo)}</time>
        {r.nextReportAt && (
          <>
            {' '}
            · {w.nextReport}{i18n.t.colon} <time dateTime={r.nextReportAt}>{i18n.dateTime(r.nextReportAt)}</time>
          </>
        )}
        <br />
        {r.publishedAt && r.publishedBy ? w.publishedBy(r.publishedBy, i18n.dateTime(r.publishedAt)) : w.draftBy(r.createdBy)}
      </p>
      {REPORT_SECTIONS.map((s) =>
        editable ? (
          <SectionEditor key={s} label={w.sections[s]} text={open.session.reports.sectionText(r.id, s)} section={s} />
        ) : (
          <section class="report-section" data-section={s}>
            <h3>{w.sections[s]}</h3>
            <p class="report-text" data-testid={`section-${s}`}>
              {r.sections[s] || '—'}
            </p>
          </section>
        ),
      )}
      <div class="report-actions">
        <a class="button small" href={`${base}?format=md&${query}`} download data-testid="export-md">
          {w.exportMd}
        </a>
        <a class="button small" href={`${base}?format=pdf&${query}`} download data-testid="export-pdf">
          {w.exportPdf}
        </a>
        {editable && !confirming && (
          <button type="button" class="primary" data-testid="publish" onClick={() => setConfirming(true)}>
            {w.publish}
          </button>
        )}
      </div>
      {editable && confirming && (
        <div class="banner warn confirm" role="alertdialog" aria-label={w.publishConfirm} data-testid="publish-confirm">
          <span>{w.publishConfirm}</span>{' '}
          <button
            type="button"
            class="primary small"
            data-testid="publish-yes"
            ref={(el) => el?.focus()}
            onClick={() => {
              // The next report is due one cadence after this publication (what the countdown shows).
              const next = meta ? nextReportAtPublishing(meta, open.session.now(), exercise) : null;
              open.session.publishReport(r.id, next);
              setConfirming(false);
            }}
          >
            {w.publishYes}
          </button>{' '}
          <button type="button" class="small ghost" onClick={() => setConfirming(false)}>
            {w.publishNo}
          </button>
        </div>
      )}
    </article>
  );
}

/**
 * A textarea bound to a Y.Text: typing applies the smallest edit to the text; edits of others
 * are written into the textarea with the caret moved along, so two people can write in the
 * same section at once.
 */
function SectionEditor({ label, text, section }: { label: string; text: Y.Text; section: ReportSection }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    el.value = text.toString();
    const onChange = (event: Y.YTextEvent) => {
      const next = text.toString();
      if (el.value === next) return;
      let start = el.selectionStart;
      let end = el.selectionEnd;
      let pos = 0;
      for (const op of event.delta) {
        if (op.retain) pos += op.retain;
        else if (typeof op.insert === 'string') {
          const n = op.insert.length;
          if (pos <= start) start += n;
          if (pos < end) end += n;
          pos += n;
        } else if (op.delete) {
          const n = op.delete;
          if (pos < start) start -= Math.min(n, start - pos);
          if (pos < end) end -= Math.min(n, end - pos);
        }
      }
      const focused = document.activeElement === el;
      el.value = next;
      if (focused) el.setSelectionRange(start, end);
    };
    text.observe(onChange);
    return () => text.unobserve(onChange);
  }, [text]);
  const id = `report-${section}`;
  return (
    <section class="report-section" data-section={section}>
      <label for={id}>
        <h3>{label}</h3>
      </label>
      <textarea
        id={id}
        ref={ref}
        rows={Math.min(14, Math.max(4, text.toString().split('\n').length + 1))}
        maxLength={20_000}
        data-testid={`edit-${section}`}
        onInput={(e) => {
          applyTextDiff(text, e.currentTarget.value);
        }}
      />
    </section>
  );
}
