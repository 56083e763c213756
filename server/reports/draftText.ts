import type { IncidentMeta } from '../../shared/model/incident';
import type { ComputedDraft, DraftTaskItem } from '../../shared/model/reportDraft';
import type { ReportSections } from '../../shared/model/reports';
import { type Lang, words } from '../../shared/i18n';
import { dateFormatter } from '../../shared/i18n/dates';
import { neutraliseText } from '../export/neutralise';

/** Lines per list in a suggested text: a report is read in two minutes, the rest is in the log. */
const MAX_LINES = 25;


function list(lines: string[], more: (n: number) => string): string[] {
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES), more(lines.length - MAX_LINES)];
}

/** Typed text on one line of the suggested Markdown: controls neutralised, then every line break and space run made one space (no forged line). */
function oneLine(text: string, max = 300): string {
  const flat = neutraliseText(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The suggested text of each section, in the reader's language; the cell edits it before publishing. */
export function draftSections(meta: IncidentMeta, d: Omit<ComputedDraft, 'sections'>, lang: Lang, timeZone: string): ReportSections {
  const w = words(lang).reports.suggested;
  const dates = dateFormatter(lang, timeZone);
  const hm = (iso: string) => dates.shortTime(iso);
  const when = (iso: string) => dates.dateTimeShort(iso);
  const task = (t: DraftTaskItem) => `- ${oneLine(t.title)} (${t.assignee === null ? w.unassigned : oneLine(t.assignee)})`;

  const keyFacts = d.log.filter((l) => l.key || l.category === 'alert');
  const others = d.log.filter((l) => !(l.key || l.category === 'alert'));
  const fact = (l: ComputedDraft['log'][number]) => `- ${hm(l.eventAt ?? l.at)} ${l.amends ? `[${w.amendment}] ` : ''}${oneLine(l.text)} (${oneLine(l.author)})`;
  const conditions = [w.header(oneLine(meta.title), when(d.window.from), when(d.window.to)), ''];
  if (d.log.length === 0) conditions.push(w.noFacts);
  if (keyFacts.length > 0) conditions.push(w.keyFacts, ...list(keyFacts.map(fact), w.more));
  if (others.length > 0) conditions.push(...(keyFacts.length > 0 ? [''] : []), w.otherFacts, ...list(others.map(fact), w.more));

  const actions: string[] = [];
  if (d.tasks.inProgress.length > 0) actions.push(w.inProgress, ...list(d.tasks.inProgress.map(task), w.more));
  if (d.tasks.created.length > 0) actions.push(...(actions.length ? [''] : []), w.newTasks, ...list(d.tasks.created.map(task), w.more));
  if (actions.length === 0) actions.push(w.noActions);

  const done = d.tasks.done.length > 0 ? [w.done, ...list(d.tasks.done.map(task), w.more)] : [w.noDone];

  const decisions: string[] = [];
  // Superseded and revoked decisions stay among those taken, marked; proposals are in the needs (awaited), once.
  const mark = (x: ComputedDraft['decisions']['approved'][number]) => (x.status === 'superseded' ? ` [${w.superseded(x.replacedBy?.title ?? null)}]` : x.status === 'revoked' ? ` [${w.revoked}]` : '');
  const decision = (x: ComputedDraft['decisions']['approved'][number]) => `- ${hm(x.at)} ${oneLine(x.title)}${mark(x)}${x.statement ? ` — ${oneLine(x.statement)}` : ''} (${oneLine(x.by)})`;
  if (d.decisions.approved.length > 0) decisions.push(w.approved, ...list(d.decisions.approved.map(decision), w.more));
  if (d.decisions.rejected.length > 0) decisions.push(...(decisions.length ? [''] : []), w.rejected, ...list(d.decisions.rejected.map(decision), w.more));
  if (decisions.length === 0) decisions.push(w.noDecisions);

  const needs: string[] = [];
  if (d.tasks.blocked.length > 0) needs.push(w.blocked, ...list(d.tasks.blocked.map(task), w.more));
  if (d.decisions.pending.length > 0) needs.push(...(needs.length ? [''] : []), w.pending, ...list(d.decisions.pending.map((x) => `- ${oneLine(x.title)}`), w.more));
  if (needs.length === 0) needs.push(w.noNeeds);

  const clip = (lines: string[]) => lines.join('\n').slice(0, 19_000);
  return { conditions: clip(conditions), actionsInProgress: clip(actions), actionsDone: clip(done), decisions: clip(decisions), needs: clip(needs) };
}
