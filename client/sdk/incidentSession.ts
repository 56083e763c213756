import type * as Y from 'yjs';
import { DOC_PARTS, DocName, DocPart, ROOTS, docName } from '../../shared/model/parts';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { TaskBoardDoc } from '../../shared/docs/taskBoardDoc';
import { DecisionsDoc } from '../../shared/docs/decisionsDoc';
import { MetaDoc } from '../../shared/docs/metaDoc';
import { RegulatoryDoc } from '../../shared/docs/regulatoryDoc';
import { EncodedLogEntrySchema } from '../../shared/model/log';
import type { LogEntry, LogEntryInput, Verification } from '../../shared/model/log';
import type { VerificationRecord } from '../../shared/model/verification';
import type { Task, TaskInput, TaskPatch, TaskStatus } from '../../shared/model/tasks';
import type { Decision, DecisionInput, DecisionPatch, DecisionStatus } from '../../shared/model/decisions';
import type { DraftInput, DraftPatch, RegulatoryClockInput, RegulatoryDraft } from '../../shared/model/regulatory';
import { ReportsDoc } from '../../shared/docs/reportsDoc';
import { REPORT_SECTIONS } from '../../shared/model/reports';
import type { Report, ReportDraftInput, ReportPatch, ReportSection, ReportSections } from '../../shared/model/reports';
import type { WireError } from '../../shared/protocol/errors';
import { IncidentRole, roleAllows, writeActionFor } from '../../shared/auth/roles';
import type { DocSync } from './docSync';
import type { Change, Snap } from './rebase';

interface ClientLike {
  readonly name: string;
}

/** What others see of me in the incident: my name and the view I am in. */
export interface Presence {
  name: string;
  view: string;
}

/** What the server refused for good, in the part's own terms, so the page can give it back to the user. */
export interface RejectedEdit {
  part: DocPart;
  error: WireError;
  /** Refused log entries, whole (the text typed is `entry.text`). */
  entries: LogEntry[];
  /** The texts people typed in what was refused (entry texts, titles, statements), to hand back. */
  texts: string[];
}

/** The typed view of each part over its current document. */
interface Views {
  meta: MetaDoc;
  log: LogDoc;
  tasks: TaskBoardDoc;
  decisions: DecisionsDoc;
  regulatory: RegulatoryDoc;
  reports: ReportsDoc;
}

function viewOf<P extends DocPart>(part: P, doc: Y.Doc): Views[P] {
  const make: { [K in DocPart]: (d: Y.Doc) => Views[K] } = {
    meta: (d) => new MetaDoc(d),
    log: (d) => new LogDoc(d),
    tasks: (d) => new TaskBoardDoc(d),
    decisions: (d) => new DecisionsDoc(d),
    regulatory: (d) => new RegulatoryDoc(d),
    reports: (d) => new ReportsDoc(d),
  };
  return make[part](doc);
}

/** Fields whose value is something a person typed (a record's title, text, statement, a report section). */
const TYPED_FIELDS = new Set(['text', 'title', 'statement', 'description', 'note', ...REPORT_SECTIONS]);

function typedTexts(changes: Change[]): { entries: LogEntry[]; texts: string[] } {
  const entries: LogEntry[] = [];
  const texts: string[] = [];
  const visit = (key: string, s: Snap) => {
    if (s.t === 'map') for (const [k, v] of s.entries) visit(k, v);
    else if (s.t === 'text' && s.text.trim()) texts.push(s.text);
    else if (s.t === 'value' && TYPED_FIELDS.has(key) && typeof s.value === 'string' && s.value.trim()) texts.push(s.value);
  };
  for (const c of changes) {
    if (c.op === 'append' && c.path.length === 1 && c.path[0] === ROOTS.log) {
      const entry = EncodedLogEntrySchema.safeParse(c.value);
      if (entry.success) {
        entries.push(entry.data);
        texts.push(entry.data.text);
      }
    } else if (c.op === 'set') visit(c.key, c.value);
    else if (c.op === 'text' && c.after.trim()) texts.push(c.after);
  }
  return { entries, texts };
}

/**
 * An open incident: its documents (one per part: DOC_PARTS) with typed operations. Every operation applies locally
 * at once (so it works offline) and is sent when the connection allows.
 *
 * After a refused edit a part's document is replaced (the server's state plus the edits still
 * pending): `session.log` and the others always read the current one, and `onChange(part, …)`
 * follows the replacement, where a view's own `onChange` stays bound to the document it was made on.
 */
export class IncidentSession {
  private readonly views: Views;
  private readonly closeListeners = new Set<() => void>();
  private readonly pendingListeners = new Set<(n: number) => void>();
  private readonly rejectedListeners = new Set<(e: WireError, edit: RejectedEdit) => void>();
  private readonly resetListeners = new Set<(part: DocPart, doc: Y.Doc) => void>();

  private constructor(
    private readonly client: ClientLike,
    readonly incidentId: string,
    readonly syncs: Record<DocPart, DocSync>,
  ) {
    this.views = {
      meta: viewOf('meta', syncs.meta.doc),
      log: viewOf('log', syncs.log.doc),
      tasks: viewOf('tasks', syncs.tasks.doc),
      decisions: viewOf('decisions', syncs.decisions.doc),
      regulatory: viewOf('regulatory', syncs.regulatory.doc),
      reports: viewOf('reports', syncs.reports.doc),
    };
    for (const part of DOC_PARTS) {
      const sync = syncs[part];
      sync.on('pending', () => {
        const n = this.pendingCount;
        for (const l of this.pendingListeners) l(n);
      });
      sync.on('rejected', (e, refusal) => {
        const edit: RejectedEdit = { part, error: e, ...typedTexts(refusal.changes) };
        for (const l of this.rejectedListeners) l(e, edit);
      });
      sync.on('reset', (doc) => {
        (this.views as Record<DocPart, Views[DocPart]>)[part] = viewOf(part, doc);
        for (const l of this.resetListeners) l(part, doc);
      });
    }
  }

  get meta(): MetaDoc {
    return this.views.meta;
  }

  get log(): LogDoc {
    return this.views.log;
  }

  get tasks(): TaskBoardDoc {
    return this.views.tasks;
  }

  get decisions(): DecisionsDoc {
    return this.views.decisions;
  }

  get regulatory(): RegulatoryDoc {
    return this.views.regulatory;
  }

  get reports(): ReportsDoc {
    return this.views.reports;
  }

  /** Calls `listener` after every change of a part, local or remote, and when its document is replaced. */
  onChange(part: DocPart, listener: () => void): () => void {
    let off = this.views[part].onChange(listener);
    const offReset = this.onReset((p) => {
      if (p !== part) return;
      off();
      off = this.views[part].onChange(listener);
      listener();
    });
    return () => {
      off();
      offReset();
    };
  }

  /** Called when a part's document is replaced after a refusal (the browser stores the new one). */
  onReset(listener: (part: DocPart, doc: Y.Doc) => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  /**
   * My role in the incident, when known: a part my role may not write sends nothing, ever (an
   * observer's copy, the metadata for anyone but the director). Null: unknown, sent as usual.
   */
  setRole(role: IncidentRole | null): void {
    if (this.readOnly) return;
    for (const part of DOC_PARTS) this.syncs[part].setWritable(role === null || roleAllows(role, writeActionFor(part)));
  }

  /** A screen that only shows (the management wall): nothing is sent from it, whatever the role. */
  setReadOnly(): void {
    this.readOnly = true;
    for (const part of DOC_PARTS) this.syncs[part].setWritable(false);
  }

  private readOnly = false;

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

  /**
   * Edits the server refused for good (a bug or a forbidden change): show them, never hide them.
   * The refused content comes with them (for the log, the entries typed); everything else still
   * pending has been kept and is being sent.
   */
  onRejected(listener: (e: WireError, edit: RejectedEdit) => void): () => void {
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
