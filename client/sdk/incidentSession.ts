import { DOC_PARTS, DocName, DocPart, docName } from '../../shared/model/parts';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { TaskBoardDoc } from '../../shared/docs/taskBoardDoc';
import { DecisionsDoc } from '../../shared/docs/decisionsDoc';
import { MetaDoc } from '../../shared/docs/metaDoc';
import { RegulatoryDoc } from '../../shared/docs/regulatoryDoc';
import type { LogEntry, LogEntryInput, Verification } from '../../shared/model/log';
import type { VerificationRecord } from '../../shared/model/verification';
import type { Task, TaskInput, TaskPatch, TaskStatus } from '../../shared/model/tasks';
import type { Decision, DecisionInput, DecisionPatch, DecisionStatus } from '../../shared/model/decisions';
import type { DraftInput, DraftPatch, RegulatoryClockInput, RegulatoryDraft } from '../../shared/model/regulatory';
import { ReportsDoc } from '../../shared/docs/reportsDoc';
import type { Report, ReportDraftInput, ReportPatch, ReportSection, ReportSections } from '../../shared/model/reports';
import type { WireError } from '../../shared/protocol/errors';
import type { DocSync } from './docSync';

interface ClientLike {
  readonly name: string;
}

/** What others see of me in the incident: my name and the view I am in. */
export interface Presence {
  name: string;
  view: string;
}

/**
 * An open incident: its four documents with typed operations. Every operation applies locally
 * at once (so it works offline) and is sent when the connection allows.
 */
export class IncidentSession {
  readonly meta: MetaDoc;
  readonly log: LogDoc;
  readonly tasks: TaskBoardDoc;
  readonly decisions: DecisionsDoc;
  readonly regulatory: RegulatoryDoc;
  readonly reports: ReportsDoc;
  private readonly closeListeners = new Set<() => void>();
  private readonly pendingListeners = new Set<(n: number) => void>();
  private readonly rejectedListeners = new Set<(e: WireError) => void>();

  private constructor(
    private readonly client: ClientLike,
    readonly incidentId: string,
    readonly syncs: Record<DocPart, DocSync>,
  ) {
    this.meta = new MetaDoc(syncs.meta.doc);
    this.log = new LogDoc(syncs.log.doc);
    this.tasks = new TaskBoardDoc(syncs.tasks.doc);
    this.decisions = new DecisionsDoc(syncs.decisions.doc);
    this.regulatory = new RegulatoryDoc(syncs.regulatory.doc);
    this.reports = new ReportsDoc(syncs.reports.doc);
    for (const sync of Object.values(syncs)) {
      sync.on('pending', () => {
        const n = this.pendingCount;
        for (const l of this.pendingListeners) l(n);
      });
      sync.on('rejected', (e) => {
        for (const l of this.rejectedListeners) l(e);
      });
    }
  }

  static async open(client: ClientLike, incidentId: string, makeSync: (name: DocName) => Promise<DocSync>): Promise<IncidentSession> {
    const entries = await Promise.all(DOC_PARTS.map(async (part) => [part, await makeSync(docName(incidentId, part))] as const));
    return new IncidentSession(client, incidentId, Object.fromEntries(entries) as Record<DocPart, DocSync>);
  }

  /** The server's clock as best known (local clock corrected by the offset measured at join). */
  now(): Date {
    return new Date(Date.now() + this.syncs.log.clockOffsetMs);
  }

  get pendingCount(): number {
    return DOC_PARTS.reduce((n, p) => n + this.syncs[p].pendingCount, 0);
  }

  onPending(listener: (n: number) => void): () => void {
    this.pendingListeners.add(listener);
    return () => this.pendingListeners.delete(listener);
  }

  /** Edits the server refused for good (a bug or a forbidden change): show them, never hide them. */
  onRejected(listener: (e: WireError) => void): () => void {
    this.rejectedListeners.add(listener);
    return () => this.rejectedListeners.delete(listener);
  }

  whenSynced(): Promise<void> {
    return Promise.all(DOC_PARTS.map((p) => this.syncs[p].whenSynced())).then(() => undefined);
  }

  whenAcknowledged(): Promise<void> {
    return Promise.all(DOC_PARTS.map((p) => this.syncs[p].whenAcknowledged())).then(() => undefined);
  }

  appendLog(input: LogEntryInput): LogEntry {
    return this.log.append(buildLogEntry(input, this.client.name, this.now()));
  }

  amend(originalId: string, input: LogEntryInput): LogEntry {
    return this.appendLog({ ...input, amends: originalId });
  }

  /**
   * Records a change of an entry's verification state (the entry itself stays as written): an
   * append-only record signed with my name and the server-corrected time.
   */
  setVerification(entryId: string, state: Verification, note?: string | null): VerificationRecord {
    const trimmed = note?.trim();
    const at = this.log.nextVerificationAt(entryId, this.now());
    return this.log.addVerification({ entryId, state, by: this.client.name, at, ...(trimmed ? { note: trimmed } : {}) });
  }

  createTask(input: TaskInput): Task {
    return this.tasks.create(input, this.client.name, this.now());
  }

  updateTask(id: string, patch: TaskPatch): Task {
    return this.tasks.update(id, patch);
  }

  moveTask(id: string, status: TaskStatus, beforeId?: string | null): Task {
    return this.tasks.move(id, status, beforeId);
  }

  assignTask(id: string, assignee: string | null): Task {
    return this.tasks.assign(id, assignee);
  }

  recordDecision(input: DecisionInput): Decision {
    return this.decisions.record(input, this.client.name, this.now());
  }

  updateDecision(id: string, patch: DecisionPatch): Decision {
    return this.decisions.update(id, patch);
  }

  setDecisionStatus(id: string, status: DecisionStatus, note: string | null = null): Decision {
    return this.decisions.setStatus(id, status, this.client.name, this.now(), note);
  }

  /** The director's: awareness times, NIS2, health sector (the server refuses it from anyone else). */
  setRegulatoryClocks(input: RegulatoryClockInput): void {
    this.meta.setRegulatory(input);
  }

  createDraft(input: DraftInput): RegulatoryDraft {
    return this.regulatory.create(input, this.client.name, this.now());
  }

  /** Edits a draft's content; a sent draft is sealed (the server refuses any change). Sending is REST: POST …/regulatory/:draftId/send. */
  updateDraft(id: string, patch: DraftPatch): RegulatoryDraft {
    return this.regulatory.update(id, patch);

  }

  /** A new situation report draft (sections usually filled from GET …/reports/draft). */
  createReport(input: ReportDraftInput): Report {
    return this.reports.createDraft(input, this.client.name, this.now());
  }

  updateReport(id: string, patch: ReportPatch): Report {
    return this.reports.update(id, patch);
  }

  /** Edits one section of a draft with the smallest change (others may be typing elsewhere in it). */
  setReportSection(id: string, section: ReportSection, value: string): void {
    this.reports.setSection(id, section, value);
  }

  fillReport(id: string, sections: Partial<ReportSections>): void {
    this.reports.fillSections(id, sections);
  }

  /** Publishes (and so seals) a draft under my name. */
  publishReport(id: string, nextReportAt: string | null = null): Report {
    return this.reports.publish(id, this.client.name, this.now(), nextReportAt);
  }

  /** The director's cadence of situation reports (minutes; null: the severity's default). */
  setReportCadence(minutes: number | null): void {
    this.meta.setReportCadence(minutes);
  }

  setPresence(presence: Presence): void {
    this.syncs.meta.awareness.setLocalState(presence);
  }

  /** Everyone present in the incident (including me), by Yjs client id. */
  presence(): Map<number, Presence> {
    const out = new Map<number, Presence>();
    for (const [id, state] of this.syncs.meta.awareness.getStates()) {
      if (state && typeof state.name === 'string') out.set(id, { name: state.name, view: typeof state.view === 'string' ? state.view : '' });
    }
    return out;
  }

  /** Calls `listener` whenever someone arrives, leaves or changes view. */
  onPresence(listener: (present: Map<number, Presence>) => void): () => void {
    const awareness = this.syncs.meta.awareness;
    const handler = () => listener(this.presence());
    awareness.on('change', handler);
    return () => awareness.off('change', handler);
  }

  onClose(listener: () => void): void {
    this.closeListeners.add(listener);
  }

  close(): void {
    for (const sync of Object.values(this.syncs)) sync.close();
    for (const l of this.closeListeners) l();
  }
}
