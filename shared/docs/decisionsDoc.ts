import * as Y from 'yjs';
import {
  Decision,
  DecisionFieldsSchema,
  DecisionInput,
  DecisionInputSchema,
  DecisionPatch,
  DecisionPatchSchema,
  DecisionStatus,
  DecisionStatusChange,
  DecisionStatusChangeSchema,
} from '../model/decisions';
import { newId } from '../model/ids';
import { ROOTS } from '../model/parts';
import { childMaps, readRecord, writeFields } from './yfields';
import { supersededNote } from './decisionNotes';

export const DECISION_STATEMENT_KEY = 'statement';
export const DECISION_HISTORY_KEY = 'history';
const NESTED_KEYS = [DECISION_STATEMENT_KEY, DECISION_HISTORY_KEY] as const;

/**
 * Typed view of the decision record. Each decision is a Y.Map of plain fields, plus a Y.Text
 * statement drafted together and a Y.Array history of status changes that is only appended to.
 */
export class DecisionsDoc {
  readonly root: Y.Map<unknown>;

  constructor(readonly doc: Y.Doc) {
    this.root = doc.getMap<unknown>(ROOTS.decisions);
  }

  list(): Decision[] {
    const out: Decision[] = [];
    for (const [, map] of childMaps(this.root)) {
      const decision = this.read(map);
      if (decision) out.push(decision);
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  get(id: string): Decision | null {
    const map = this.root.get(id);
    return map instanceof Y.Map ? this.read(map as Y.Map<unknown>) : null;
  }

  /** The collaborative statement text, for editors bound to Yjs. */
  statementText(id: string): Y.Text {
    const text = this.requireMap(id).get(DECISION_STATEMENT_KEY);
    if (!(text instanceof Y.Text)) throw new Error(`decision ${id} has no statement`);
    return text;
  }

  record(input: DecisionInput, author: string, now: Date): Decision {
    const { statement, ...rest } = DecisionInputSchema.parse(input);
    const at = now.toISOString();
    const closed = rest.status !== 'proposed';
    const fields = DecisionFieldsSchema.parse({
      ...rest,
      id: newId(),
      decidedBy: closed ? author : null,
      decidedAt: closed ? at : null,
      createdBy: author,
      createdAt: at,
    });
    this.doc.transact(() => {
      const map = new Y.Map<unknown>();
      this.root.set(fields.id, map);
      writeFields(map, fields);
      map.set(DECISION_STATEMENT_KEY, new Y.Text(statement));
      const history = new Y.Array<unknown>();
      map.set(DECISION_HISTORY_KEY, history);
      history.push([change(fields.status, author, at, null)]);
      if (fields.supersedes) this.applyStatus(fields.supersedes, 'superseded', author, at, supersededNote(fields.title));
    });
    return this.get(fields.id) ?? this.fail(fields.id);
  }

  update(id: string, patch: DecisionPatch): Decision {
    const checked = DecisionPatchSchema.parse(patch);
    const map = this.requireMap(id);
    this.doc.transact(() => writeFields(map, checked));
    return this.get(id) ?? this.fail(id);
  }

  setStatus(id: string, status: DecisionStatus, by: string, now: Date, note: string | null = null): Decision {
    this.doc.transact(() => this.applyStatus(id, status, by, now.toISOString(), note));
    return this.get(id) ?? this.fail(id);
  }

  onChange(listener: () => void): () => void {
    const handler = () => listener();
    this.root.observeDeep(handler);
    return () => this.root.unobserveDeep(handler);
  }

  private applyStatus(id: string, status: DecisionStatus, by: string, at: string, note: string | null): void {
    const map = this.requireMap(id);
    const fields: Record<string, unknown> = { status };
    if (status === 'approved' || status === 'rejected') Object.assign(fields, { decidedBy: by, decidedAt: at });
    writeFields(map, fields);
    const history = map.get(DECISION_HISTORY_KEY);
    if (history instanceof Y.Array) history.push([change(status, by, at, note)]);
  }

  private read(map: Y.Map<unknown>): Decision | null {
    const fields = readRecord(map, DecisionFieldsSchema, NESTED_KEYS);
    if (!fields) return null;
    const statement = map.get(DECISION_STATEMENT_KEY);
    const history = map.get(DECISION_HISTORY_KEY);
    const changes: DecisionStatusChange[] = [];
    if (history instanceof Y.Array) {
      for (const raw of history.toArray()) {
        const parsed = DecisionStatusChangeSchema.safeParse(raw);
        if (parsed.success) changes.push(parsed.data);
      }
    }
    return { ...fields, statement: statement instanceof Y.Text ? statement.toString() : '', history: changes };
  }

  private requireMap(id: string): Y.Map<unknown> {
    const map = this.root.get(id);
    if (!(map instanceof Y.Map)) return this.fail(id);
    return map as Y.Map<unknown>;
  }

  private fail(id: string): never {
    throw new Error(`no decision ${id}`);
  }
}

function change(status: DecisionStatus, by: string, at: string, note: string | null): DecisionStatusChange {
  return DecisionStatusChangeSchema.parse({ status, at, by, note });
}
