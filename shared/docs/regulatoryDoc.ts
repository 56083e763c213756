import * as Y from 'yjs';
import { newId } from '../model/ids';
import { ROOTS } from '../model/parts';
import {
  DraftInput,
  DraftInputSchema,
  DraftPatch,
  DraftPatchSchema,
  MarkSent,
  RegulatoryDraft,
  RegulatoryDraftSchema,
} from '../model/regulatory';
import { childMaps, readRecord, writeFields } from './yfields';

/**
 * Typed view of the notification drafts: one Y.Map of plain fields per draft, keyed by id.
 * Clients create and edit drafts; marking one sent is the server's (`markSent`), which also
 * writes the log entry, and seals it.
 */
export class RegulatoryDoc {
  readonly root: Y.Map<unknown>;

  constructor(readonly doc: Y.Doc) {
    this.root = doc.getMap<unknown>(ROOTS.regulatory);
  }

  list(): RegulatoryDraft[] {
    const out: RegulatoryDraft[] = [];
    for (const [, map] of childMaps(this.root)) {
      const draft = readRecord(map, RegulatoryDraftSchema);
      if (draft) out.push(draft);
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  get(id: string): RegulatoryDraft | null {
    const map = this.root.get(id);
    return map instanceof Y.Map ? readRecord(map as Y.Map<unknown>, RegulatoryDraftSchema) : null;
  }

  create(input: DraftInput, author: string, now: Date): RegulatoryDraft {
    const { kind, complements, ...content } = DraftInputSchema.parse(input);
    const draft = RegulatoryDraftSchema.parse({ ...content, id: newId(), kind, complements, status: 'draft', createdBy: author, createdAt: now.toISOString() });
    // Only what is set is written: blank content fields read as '' anyway.
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(draft)) if (value !== '' && value !== null) fields[key] = value;
    if (draft.kind === 'cnil_complementary') fields.complements = draft.complements;
    this.doc.transact(() => {
      const map = new Y.Map<unknown>();
      this.root.set(draft.id, map);
      writeFields(map, fields);
    });
    return this.get(draft.id) ?? this.fail(draft.id);
  }

  update(id: string, patch: DraftPatch): RegulatoryDraft {
    const checked = DraftPatchSchema.parse(patch);
    const map = this.requireMap(id);
    this.doc.transact(() => writeFields(map, checked));
    return this.get(id) ?? this.fail(id);
  }

  /** The server's act: status, who, how, reference and when, in one transaction. */
  markSent(id: string, sent: Required<Pick<MarkSent, 'via' | 'reference'>> & { sentAt: string }, by: string): RegulatoryDraft {
    const map = this.requireMap(id);
    this.doc.transact(() => writeFields(map, { status: 'sent', sentAt: sent.sentAt, sentBy: by, sentVia: sent.via, reference: sent.reference || null }));
    return this.get(id) ?? this.fail(id);
  }

  onChange(listener: () => void): () => void {
    const handler = () => listener();
    this.root.observeDeep(handler);
    return () => this.root.unobserveDeep(handler);
  }

  private requireMap(id: string): Y.Map<unknown> {
    const map = this.root.get(id);
    if (!(map instanceof Y.Map)) return this.fail(id);
    return map as Y.Map<unknown>;
  }

  private fail(id: string): never {
    throw new Error(`no draft ${id}`);
  }
}
