import * as Y from 'yjs';
import { ROOTS } from '../../../shared/model/parts';
import { CLOCK_SKEW_MS, MAX_CADENCE_MINUTES } from '../../../shared/model/reportCadence';
import { type ReportFields, ReportFieldsSchema, isReportSection } from '../../../shared/model/reports';
import type { Refusal } from '../partModule';
import { onScratchCopy } from '../rules/scratchCopy';

type Fields = Record<string, unknown>;

/**
 * The fields of situation reports that the countdown and the automatic draft rely on must be
 * true, since publication seals them for good: a report created or changed by an update (its
 * plain fields, not its sections) is checked as it would stand after the update, computed on a
 * scratch copy whatever the Yjs encoding (like rules/sealedRecords.ts).
 *
 * - a publication (draft → published, or created published) names the sender in `publishedBy`,
 *   is dated by the server clock (± CLOCK_SKEW_MS) and covers a window that has ended:
 *   `windowFrom ≤ windowTo ≤ publishedAt (+ skew)`;
 * - a draft has no publication fields, and a window that has ended (`windowTo ≤ now + skew`);
 * - `nextReportAt`, when set, is not before the window's end nor beyond one maximal cadence
 *   after the publication (or now, for a draft);
 * - its `number` is not another report's.
 *
 * Published reports already sealed are left to sealed.ts. Returns null when all holds.
 */
export function checkReportRules(doc: Y.Doc, update: Uint8Array, sender: string, now: Date, fieldWrites: ReadonlySet<string>): Refusal | null {
  // Typing in a section writes no field: nothing to judge, no copy of the document.
  if (fieldWrites.size === 0) return null;
  const before = fieldsById(doc);
  return onScratchCopy(doc, update, (scratch) => {
    const after = fieldsById(scratch);
    for (const [id, fields] of after) {
      if (!fieldWrites.has(id)) continue;
      const was = before.get(id);
      if (was && JSON.stringify(was) === JSON.stringify(fields)) continue;
      if (was?.status === 'published') continue; // sealed: sealed.ts refuses any change
      const problem = judge(id, fields, after, sender, now);
      if (problem) return problem;
    }
    return null;
  });
}

function judge(id: string, raw: Fields, all: Map<string, Fields>, sender: string, now: Date): Refusal | null {
  const parsed = ReportFieldsSchema.safeParse(raw);
  if (!parsed.success) return invalid(`report ${id} must be complete and valid`);
  const r: ReportFields = parsed.data;
  const ms = (iso: string) => Date.parse(iso);
  const nowMs = now.getTime();
  for (const [otherId, other] of all) {
    if (otherId !== id && other.number === r.number) return invalid(`report number ${r.number} is already used by report ${otherId}`);
  }
  if (ms(r.windowFrom) > ms(r.windowTo)) return invalid(`report ${id}: windowFrom must not be after windowTo`);
  let reference = nowMs;
  if (r.status === 'published') {
    // Publishing: the sender, now (server clock).
    if (r.publishedBy !== sender) return { code: 'UPDATE_FORBIDDEN_AUTHOR', message: `publishedBy must be your own name (${JSON.stringify(sender)})` };
    if (r.publishedAt === null || Math.abs(ms(r.publishedAt) - nowMs) > CLOCK_SKEW_MS) return invalid(`report ${id}: publishedAt must be the current time (server clock, ± ${CLOCK_SKEW_MS / 60_000} min)`);
    reference = ms(r.publishedAt);
    if (ms(r.windowTo) > reference + CLOCK_SKEW_MS) return invalid(`report ${id}: its window must end by its publication`);
  } else {
    if (r.publishedBy !== null || r.publishedAt !== null) return invalid(`report ${id}: a draft has no publication fields`);
    if (ms(r.windowTo) > nowMs + CLOCK_SKEW_MS) return invalid(`report ${id}: its window must not end in the future`);
  }
  if (r.nextReportAt !== null) {
    const next = ms(r.nextReportAt);
    if (next < ms(r.windowTo) || next > Math.max(reference, nowMs) + MAX_CADENCE_MINUTES * 60_000 + CLOCK_SKEW_MS) {
      return invalid(`report ${id}: nextReportAt must be after the window and within ${MAX_CADENCE_MINUTES / 60} h`);
    }
  }
  return null;
}

/** Each report's plain fields (sections left out: their edits are free while a draft). */
function fieldsById(doc: Y.Doc): Map<string, Fields> {
  const out = new Map<string, Fields>();
  for (const [id, value] of doc.getMap<unknown>(ROOTS.reports).entries()) {
    if (!(value instanceof Y.Map)) continue;
    const fields: Fields = {};
    for (const [key, v] of value.entries()) if (!isReportSection(key)) fields[key] = v;
    out.set(id, fields);
  }
  return out;
}

function invalid(message: string): Refusal {
  return { code: 'UPDATE_INVALID_CONTENT', message };
}
