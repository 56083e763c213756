import type { IncidentMeta } from './incident';
import type { LogEntry } from './log';
import type { Task } from './tasks';
import type { Decision } from './decisions';
import { CONTENT_FIELDS, DRAFT_FIELDS, type ContentField, type DraftKind, type RegulatoryDraft } from './regulatory';
import { type Lang, words } from '../i18n';

/** Who declares and how to reach them: the same from one notification to the next. */
const CONTACT_FIELDS: readonly ContentField[] = ['organisation', 'declarant', 'dpoName', 'dpoContact'];

export interface PrefillSource {
  meta: IncidentMeta;
  log: readonly LogEntry[];
  tasks: readonly Pick<Task, 'title' | 'status' | 'description'>[];
  decisions: readonly Pick<Decision, 'title' | 'status' | 'statement' | 'decidedAt'>[];
  drafts?: readonly RegulatoryDraft[];
}

/** How many key facts go into a description: a notification is read by a person, not a log dump. */
const MAX_FACTS = 30;

/** "2026-03-12 14:03 UTC": unambiguous in a document sent to an authority, whatever the reader's zone. */
export function utcText(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * A first version of a draft from what the incident already holds, for people to correct: the
 * title and times, the key facts of the log (not refuted, latest correction), the measures
 * (tasks done, decisions approved), the handling status; the organisation, declarant and DPO
 * from the latest draft that names them; a complementary CNIL notification starts from the
 * initial one it completes (what people wrote there wins). Only the fields the kind shows;
 * the same function serves the REST prefill and the browser (from its live documents), in the
 * writer's language (French by default: what French authorities receive).
 */
export function prefillDraft(kind: DraftKind, src: PrefillSource, lang: Lang = 'fr'): Partial<Record<ContentField, string>> & { complements?: string } {
  const { meta } = src;
  const w = words(lang).regulatory.prefill;
  const colon = words(lang).common.colon;
  const times = [
    ...(meta.detectedAt ? [`${w.detection}${colon} ${utcText(meta.detectedAt)}`] : []),
    ...(meta.breachAwareAt && kind.startsWith('cnil') ? [`${w.breachAwareAt}${colon} ${utcText(meta.breachAwareAt)}`] : []),
    ...(meta.nis2AwareAt && kind.startsWith('nis2') ? [`${w.nis2AwareAt}${colon} ${utcText(meta.nis2AwareAt)}`] : []),
  ];
  const amended = new Set(src.log.flatMap((e) => (e.amends ? [e.amends] : [])));
  const facts = src.log
    .filter((e) => e.key && e.verification !== 'refuted' && !amended.has(e.id))
    .slice(-MAX_FACTS)
    .map((e) => `- ${utcText(e.eventAt ?? e.recordedAt)} — ${e.text}`);
  const description = [`${meta.title}.`, ...times, ...(facts.length ? ['', w.keyFacts, ...facts] : [])].join('\n');
  const measures = [
    ...src.tasks.filter((t) => t.status === 'done').map((t) => `- ${t.title} (${w.done})`),
    ...src.tasks.filter((t) => t.status === 'in_progress').map((t) => `- ${t.title} (${w.inProgress})`),
    ...src.decisions.filter((d) => d.status === 'approved').map((d) => `- ${w.decision}${colon} ${d.title}${d.statement ? ` — ${d.statement}` : ''}`),
  ].join('\n');
  const open = src.tasks.filter((t) => t.status === 'todo' || t.status === 'in_progress' || t.status === 'blocked').length;
  const handlingStatus = meta.status === 'closed' ? w.closed(meta.closedAt ? utcText(meta.closedAt) : null) : w.handling(open);

  const drafts = [...(src.drafts ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const contacts: Partial<Record<ContentField, string>> = {};
  for (const f of CONTACT_FIELDS) {
    const from = drafts.find((d) => d[f].trim() !== '');
    if (from) contacts[f] = from[f];
  }
  const initial = kind === 'cnil_complementary' ? (drafts.filter((d) => d.kind === 'cnil_initial').sort((a, b) => Number(b.status === 'sent') - Number(a.status === 'sent'))[0] ?? null) : null;
  const carried: Partial<Record<ContentField, string>> = {};
  if (initial) for (const f of CONTENT_FIELDS) if (initial[f].trim() !== '') carried[f] = initial[f];

  const all: Partial<Record<ContentField, string>> = {
    ...contacts,
    description,
    measures,
    handlingStatus,
    // What people wrote in the initial notification wins over what the incident suggests.
    ...carried,
    ...(meta.detectedAt ? { foundAt: utcText(meta.detectedAt) } : {}),
  };
  const shown = new Set<string>(DRAFT_FIELDS[kind].fields);
  const out: Partial<Record<ContentField, string>> & { complements?: string } = {};
  for (const [key, value] of Object.entries(all) as Array<[ContentField, string]>) if (shown.has(key) && value) out[key] = value;
  if (initial) out.complements = initial.id;
  return out;
}
