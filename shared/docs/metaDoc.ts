import * as Y from 'yjs';
import { IncidentMeta, IncidentMetaSchema } from '../model/incident';
import { RegulatoryClockInput, RegulatoryClockInputSchema } from '../model/regulatory';
import { ROOTS } from '../model/parts';
import { readRecord, writeFields } from './yfields';

/** Typed view of an incident's metadata: one Y.Map of plain fields. */
export class MetaDoc {
  readonly root: Y.Map<unknown>;

  constructor(readonly doc: Y.Doc) {
    this.root = doc.getMap<unknown>(ROOTS.meta);
  }

  get(): IncidentMeta | null {
    return readRecord(this.root, IncidentMetaSchema);
  }

  init(meta: IncidentMeta): void {
    const checked = IncidentMetaSchema.parse(meta);
    this.doc.transact(() => writeFields(this.root, checked));
  }

  close(now: Date): void {
    this.doc.transact(() => writeFields(this.root, { status: 'closed', closedAt: now.toISOString() }));
  }

  /** The regulatory facts (awareness times, NIS2, health sector): the director's, like every meta write. */
  setRegulatory(input: RegulatoryClockInput): void {
    const checked = RegulatoryClockInputSchema.parse(input);
    this.doc.transact(() => writeFields(this.root, checked));
  }

  reopen(): void {
    this.doc.transact(() => writeFields(this.root, { status: 'open', closedAt: null }));
  }

  /** The situation report cadence (director only; null: the default of the severity). */
  setReportCadence(minutes: number | null): void {
    const checked = IncidentMetaSchema.shape.reportCadenceMinutes.parse(minutes);
    this.doc.transact(() => this.root.set('reportCadenceMinutes', checked ?? null));
  }

  /** Whether members may decide (approve, reject, supersede, revoke), not only directors. Director only, like every meta write. */
  setMembersMayApprove(allowed: boolean): void {
    this.doc.transact(() => this.root.set('membersMayApprove', allowed));
  }

  onChange(listener: () => void): () => void {
    const handler = () => listener();
    this.root.observe(handler);
    return () => this.root.unobserve(handler);
  }
}
