import * as Y from 'yjs';
import { readDecisions, readMeta, readReports, readTasks } from '../../shared/docs/reader';
import { newId } from '../../shared/model/ids';
import { DOC_PARTS, DocName, docName, parseDocName } from '../../shared/model/parts';
import { CreateIncident, CreateIncidentSchema, IncidentMeta, IncidentState, IncidentStateSchema } from '../../shared/model/incident';
import { LogEntry, LogEntryInput } from '../../shared/model/log';
import { MetaDoc } from '../../shared/docs/metaDoc';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { TaskBoardDoc } from '../../shared/docs/taskBoardDoc';
import type { Task, TaskInput } from '../../shared/model/tasks';
import type { DocumentStore, JournalRecord } from '../storage/documentStore';
import type { RoomRegistry } from '../documents/roomRegistry';
import { AppError } from '../errors';
import { stateAt } from '../timeline/stateAt';
import { type LogIndex, logIndexOf, logViewOf, parseLogAhead } from '../parts/log/logIndex';
import type { CommittedRoom } from '../documents/roomDeps';

/** Incidents a user may create (server/policy/dailyQuota.ts): throws QUOTA_EXCEEDED, spending nothing, when spent. */
export interface CreationQuota {
  take(userId: string): void;
}

/** Incident-level operations shared by REST and sockets: create, list, read, append to the log. */
export class IncidentService {
  private readonly known = new Set<string>();

  constructor(
    private readonly store: DocumentStore,
    private readonly rooms: RoomRegistry,
    /** Incidents created per author per day (QUOTA_EXCEEDED past it); none: no limit. */
    private readonly creations: CreationQuota | null = null,
  ) {}

  /**
   * Registers an incident; `beforeCreate` runs with its id first (the creator's directorship:
   * an incident never exists without one). `exercise` marks it as an exercise for good (issue 17).
   */
  async create(input: CreateIncident, author: string, beforeCreate?: (id: string) => Promise<void>, kind: { exercise: boolean } = { exercise: false }): Promise<IncidentMeta> {
    const fields = CreateIncidentSchema.parse(input);
    this.creations?.take(author);
    const now = new Date();
    const meta: IncidentMeta = {
      id: newId(),
      title: fields.title,
      status: 'open',
      severity: fields.severity,
      detectedAt: fields.detectedAt,
      openedAt: now.toISOString(),
      closedAt: null,
      ...(fields.healthSector === undefined ? {} : { healthSector: fields.healthSector }),
      ...(kind.exercise ? { exercise: true } : {}),
    };
    await beforeCreate?.(meta.id);
    const doc = new Y.Doc();
    new MetaDoc(doc).init(meta);
    await this.store.createIncident(meta, { doc: docName(meta.id, 'meta'), author, at: now, update: Y.encodeStateAsUpdate(doc) });
    doc.destroy();
    this.known.add(meta.id);
    return meta;
  }

  /** Open incidents first, then the most recently opened. */
  async list(): Promise<IncidentMeta[]> {
    const all = await this.store.listIncidents();
    return all.sort((a, b) => (a.status === b.status ? b.openedAt.localeCompare(a.openedAt) : a.status === 'open' ? -1 : 1));
  }

  /** Whether the incident is an exercise: fixed at its creation (EXERCISE_MARK_FIXED), so read from the registry. */
  async isExercise(id: string): Promise<boolean> {
    const meta = await this.store.getIncident(id);
    if (!meta) throw new AppError('NOT_FOUND', `no incident ${id}`);
    return meta.exercise === true;
  }

  async requireIncident(id: string): Promise<void> {
    if (this.known.has(id)) return;
    if (!(await this.store.getIncident(id))) throw new AppError('NOT_FOUND', `no incident ${id}`);
    this.known.add(id);
  }

  async state(id: string): Promise<IncidentState> {
    await this.requireIncident(id);
    const [meta, log, tasks, decisions, reports] = await Promise.all(DOC_PARTS.map((part) => this.rooms.get(docName(id, part))));
    const state = {
      meta: meta!.read(readMeta),
      log: [],
      tasks: tasks!.read(readTasks),
      decisions: decisions!.read(readDecisions),
      reports: reports!.read(readReports),
    };
    if (!state.meta) throw new AppError('INTERNAL', `incident ${id} has no readable metadata`);
    // The log through its kept view: each entry was checked once when first parsed, not again at every read.
    return { ...IncidentStateSchema.parse(state), log: log!.read((d) => logViewOf(d).entries()) };
  }

  /** The incident's metadata and reports alone: what a report draft or export needs, without walking a 100,000-entry log. */
  async metaAndReports(id: string): Promise<Pick<IncidentState, 'meta' | 'reports'>> {
    await this.requireIncident(id);
    const [meta, reports] = await Promise.all([this.rooms.get(docName(id, 'meta')), this.rooms.get(docName(id, 'reports'))]);
    const read = { meta: meta.read(readMeta), reports: reports.read(readReports) };
    if (!read.meta) throw new AppError('INTERNAL', `incident ${id} has no readable metadata`);
    return IncidentStateSchema.pick({ meta: true, reports: true }).parse(read);
  }

  /** Whether the incident lets its members decide (meta `membersMayApprove`, the director's setting). */
  async membersMayApprove(id: string): Promise<boolean> {
    const room = await this.rooms.get(docName(id, 'meta'));
    return room.read((d) => new MetaDoc(d).get()?.membersMayApprove === true);
  }

  /** The director's setting: let members decide. Journaled as `journalAuthor`; resolves once durable. */
  async setMembersMayApprove(id: string, allowed: boolean, journalAuthor: string): Promise<void> {
    await this.requireIncident(id);
    const room = await this.rooms.get(docName(id, 'meta'));
    await room.change(journalAuthor, (doc) => new MetaDoc(doc).setMembersMayApprove(allowed));
  }

  /** Reads the live log document through its index (entries by id, open alerts; `index.log` for the rest). */
  async readLog<T>(id: string, read: (index: LogIndex) => T): Promise<T> {
    await this.requireIncident(id);
    const room = await this.rooms.get(docName(id, 'log'));
    await room.read(parseLogAhead);
    return room.read((d) => read(logIndexOf(d)));
  }

  /** The live tasks and decisions alone (a handover needs them, not the whole log `state` would parse). */
  async tasksAndDecisions(id: string): Promise<Pick<IncidentState, 'tasks' | 'decisions'>> {
    await this.requireIncident(id);
    const [tasks, decisions] = await Promise.all([this.rooms.get(docName(id, 'tasks')), this.rooms.get(docName(id, 'decisions'))]);
    return IncidentStateSchema.pick({ tasks: true, decisions: true }).parse({ tasks: tasks.read(readTasks), decisions: decisions.read(readDecisions) });
  }

  /** The incident as it stood at `at`, replayed from the journal (records accepted at or before it). */
  async stateAt(id: string, at: Date): Promise<IncidentState> {
    await this.requireIncident(id);
    return stateAt(this.store, id, at);
  }

  /** Appends an entry on behalf of `author` (journaled as `journalAuthor`); resolves once it is durable. */
  async appendLog(id: string, input: LogEntryInput, author: string, journalAuthor: string = author): Promise<LogEntry> {
    await this.requireIncident(id);
    const room = await this.rooms.get(docName(id, 'log'));
    const entry = buildLogEntry(input, author, new Date());
    await room.change(journalAuthor, (doc) => new LogDoc(doc).append(entry));
    return entry;
  }

  /**
   * Adds tasks to the board in one change on behalf of `author` (journaled as `journalAuthor`),
   * the path a person's edit takes: they reach every client and the timeline as task.created.
   */
  async addTasks(id: string, inputs: TaskInput[], author: string, journalAuthor: string = author): Promise<Task[]> {
    await this.requireIncident(id);
    if (inputs.length === 0) return [];
    const room = await this.rooms.get(docName(id, 'tasks'));
    const now = new Date();
    const out: Task[] = [];
    await room.change(journalAuthor, (doc) => {
      const board = new TaskBoardDoc(doc);
      doc.transact(() => {
        for (const input of inputs) out.push(board.create(input, author, now));
      });
    });
    return out;
  }

  /**
   * Keeps the incident list in step with the metadata document. The row written is the one of
   * the incident the document belongs to, whatever id its content claims (admission refuses a
   * foreign id, UPDATE_WRONG_PLACE; a document that names another incident anyway is left out).
   */
  onCommitted(room: CommittedRoom, _records: JournalRecord[]): void {
    if (room.part !== 'meta') return;
    const meta = room.read((d) => new MetaDoc(d).get());
    const incidentId = parseDocName(room.name).incidentId;
    if (meta && meta.id === incidentId) void this.store.updateIncidentSummary(meta).catch(() => undefined);
  }

  static docNames(id: string): DocName[] {
    return DOC_PARTS.map((p) => docName(id, p));
  }
}
