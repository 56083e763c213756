import * as Y from 'yjs';
import { DOC_PARTS, type DocPart, ROOTS, docName } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';
import { DRAFT_KINDS } from '../../shared/model/regulatory';
import { REPORT_SECTIONS } from '../../shared/model/reports';
import { LOG_CATEGORIES, VERIFICATION_STATES } from '../../shared/model/log';
import { VERIFICATIONS_ROOT } from '../../shared/model/verification';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { TaskBoardDoc } from '../../shared/docs/taskBoardDoc';
import { DECISION_HISTORY_KEY, DecisionsDoc } from '../../shared/docs/decisionsDoc';
import { ReportsDoc } from '../../shared/docs/reportsDoc';
import { RegulatoryDoc } from '../../shared/docs/regulatoryDoc';
import { MetaDoc } from '../../shared/docs/metaDoc';
import { readDecisions, readLog, readMeta, readRegulatory, readReports, readTasks } from '../../shared/docs/reader';
import { declareRoots, partModule } from '../../server/parts/registry';
import { inspectUpdate } from '../../server/documents/guard/updateGuard';
import { checkRecordsRead } from '../../server/documents/guard/readerVisibility';
import { AppError } from '../../server/errors';
import { EventFilter } from '../../shared/timeline/filter';
import type { JournalRecord } from '../../server/storage/documentStore';
import type { LogReplayer } from '../../server/parts/log/replay';
import type { TasksReplayer } from '../../server/parts/tasks/replay';
import type { DecisionsReplayer } from '../../server/parts/decisions/replay';
import type { ReportsReplayer } from '../../server/parts/reports/replay';
import type { RegulatoryReplayer } from '../../server/parts/regulatory/replay';
import type { MetaReplayer } from '../../server/parts/meta/replay';
import { replayerFor } from '../../server/timeline/timeline';
import { mulberry32 } from '../helpers/seededRandom';

/**
 * One reader for everything (issue 13, item 2), as a property: random sequences of updates by
 * several writers across every part, some made offline and merged later (concurrent edits),
 * some forged to land where no reader looks, go through the server's admission (the guard, its
 * reader-visibility rule, the records-read check) exactly as a room runs them; what is admitted
 * is applied to the live document and journaled as its effective update. At checkpoints and at
 * the end, the live state read through shared/docs/reader.ts equals the journal replay (the
 * replayers behind every export, `?at=` and the report draft), record for record, for every part.
 * Plain jest with a seeded PRNG (SEED env to replay a failure).
 */
jest.setTimeout(120_000);

const TOTAL_UPDATES = Number(process.env.UPDATES ?? 10_000);
const WRITERS = 3;
/** Records per map part: enough for concurrent edits of the same and of different records, small enough to stay fast. */
const MAX_RECORDS = 40;
/** The log, the part that grows, is drawn most often. */
const PART_DRAW: DocPart[] = ['log', 'log', 'log', 'log', 'meta', 'tasks', 'tasks', 'decisions', 'decisions', 'reports', 'regulatory'];
const SEED = Number(process.env.SEED ?? 20261205);

const random = mulberry32(SEED);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const chance = (p: number) => random() < p;
const words = ['serveur', 'messagerie', 'VPN', 'urgences', 'pharmacie', 'bloc', 'PACS', 'laboratoire', 'rançongiciel', 'sauvegarde'];
const text = () => Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(words)).join(' ');

interface Writer {
  name: string;
  doc: Y.Doc;
  online: boolean;
  /** Log items this writer inserted (its own, withdrawable). */
  own: Y.ID[];
}

interface Part {
  part: DocPart;
  live: Y.Doc;
  journal: JournalRecord[];
  writers: Writer[];
  replay: { apply(r: JournalRecord, f: EventFilter): unknown };
  refused: number;
  forgedRefused: number;
}

/** Why updates were refused, counted (shown when an expectation fails). */
const refusals = new Map<string, number>();
const everything = new EventFilter({ from: null, to: null, kinds: [], categories: [], authors: [] });
const incidentId = newId();


function newWriter(p: Pick<Part, 'live'>, name: string): Writer {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(p.live));
  return { name, doc, online: true, own: [] };
}

/** What a room does with a client's update: guard (with the withdraw rule of the grace period), records-read check, apply, journal the effective update. */
const timing = new Map<string, number>();
function timed<T>(what: string, fn: () => T): T {
  const t = performance.now();
  try {
    return fn();
  } finally {
    timing.set(what, (timing.get(what) ?? 0) + performance.now() - t);
  }
}
function admit(p: Part, bytes: Uint8Array, sender: Writer): boolean {
  return timed(`admit ${p.part}`, () => admitNow(p, bytes, sender));
}
function admitNow(p: Part, bytes: Uint8Array, sender: Writer): boolean {
  try {
    const inspected = inspectUpdate(p.live, partModule(p.part).policy, bytes, {
      // Within the grace period a writer may withdraw its own entries (server/policy/logGrace.ts).
      judgeDelete: (item) => (p.part === 'log' && item.id.client === sender.doc.clientID ? 'allow' : null),
    });
    const unread = timed(`read ${p.part}`, () => checkRecordsRead(partModule(p.part), p.live, bytes, inspected.touchedRecords));
    if (unread) throw new AppError(unread.code, unread.message);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const why = `${p.part} ${err.code} ${err.message.replace(/[0-9A-Za-z_-]{20,}/g, '<id>')}`;
    refusals.set(why, (refusals.get(why) ?? 0) + 1);
    return false;
  }
  const effective: Uint8Array[] = [];
  const capture = (u: Uint8Array) => effective.push(u);
  p.live.on('update', capture);
  Y.applyUpdate(p.live, bytes, 'client');
  p.live.off('update', capture);
  for (const update of effective) {
    const record: JournalRecord = { doc: docName(incidentId, p.part), seq: p.journal.length + 1, at: new Date(), author: sender.name, update, hash: '', prevHash: '' };
    p.journal.push(record);
    p.replay.apply(record, everything);
    for (const w of p.writers) if (w.online && w !== sender) Y.applyUpdate(w.doc, update, 'server');
  }
  return true;
}

/** One transaction of a writer, sent at once when online; kept for the next merge otherwise. */
function edit(p: Part, w: Writer, fn: (doc: Y.Doc) => void): number {
  const updates: Uint8Array[] = [];
  const capture = (u: Uint8Array, origin: unknown) => {
    if (origin !== 'server') updates.push(u);
  };
  w.doc.on('update', capture);
  try {
    w.doc.transact(() => fn(w.doc));
  } finally {
    w.doc.off('update', capture);
  }
  if (!w.online || updates.length === 0) return 0;
  let sent = 0;
  for (const u of updates) {
    sent += 1;
    if (!admit(p, u, w)) {
      p.refused += 1;
      reset(p, w);
      break;
    }
  }
  return sent;
}

/** A writer whose edit was refused starts again from the server's document (as a client told so reloads). */
function reset(p: Part, w: Writer): void {
  w.doc.destroy();
  const fresh = newWriter(p, w.name);
  w.doc = fresh.doc;
  w.own = [];
}

/** Back online: the writer's offline edits as one update (a merge with everything it missed), then the server's. */
function reconnect(p: Part, w: Writer): number {
  w.online = true;
  const diff = Y.encodeStateAsUpdate(w.doc, Y.encodeStateVector(p.live));
  const hasNew = Y.decodeUpdate(diff).structs.length > 0 || Y.decodeUpdate(diff).ds.clients.size > 0;
  if (hasNew && !admit(p, diff, w)) {
    p.refused += 1;
    reset(p, w);
    return 1;
  }
  Y.applyUpdate(w.doc, Y.encodeStateAsUpdate(p.live, Y.encodeStateVector(w.doc)), 'server');
  return hasNew ? 1 : 0;
}

/** One typed view per writer document, as a client keeps it (LogDoc caches parsed entries). */
const views = new WeakMap<Y.Doc, Map<unknown, unknown>>();
function view<T>(doc: Y.Doc, make: new (d: Y.Doc) => T): T {
  let byKind = views.get(doc);
  if (!byKind) views.set(doc, (byKind = new Map()));
  let v = byKind.get(make) as T | undefined;
  if (!v) byKind.set(make, (v = new make(doc)));
  return v;
}

/** A random valid operation of this part through its typed view. */
function operate(p: Part, w: Writer): void {
  const now = new Date();
  switch (p.part) {
    case 'meta': {
      const meta = view(w.doc, MetaDoc);
      const current = meta.get();
      if (!current) return;
      const r = random();
      if (r < 0.3) meta.setReportCadence(chance(0.2) ? null : 1 + Math.floor(random() * 240));
      else if (r < 0.6) meta.setRegulatory({ breachAwareAt: now.toISOString(), nis2: chance(0.5), healthSector: chance(0.5) });
      else if (current.status === 'open') meta.close(now);
      else meta.reopen();
      return;
    }
    case 'log': {
      const log = view(w.doc, LogDoc);
      const r = random();
      if (r < 0.7 || log.length === 0) {
        log.append(buildLogEntry({ text: text(), category: pick(LOG_CATEGORIES), key: chance(0.2) }, w.name, now));
        // Its item is this client's last struct: remembered, so this writer may withdraw it.
        const item = w.doc.store.clients.get(w.doc.clientID)?.at(-1);
        if (item instanceof Y.Item) w.own.push(Y.createID(item.id.client, item.id.clock + item.length - 1));
      } else if (r < 0.9) {
        const raw = log.array.get(Math.floor(random() * log.length));
        const entryId = typeof raw === 'string' ? (JSON.parse(raw) as { id: string }).id : null;
        if (entryId) log.addVerification({ entryId, state: pick(VERIFICATION_STATES), by: w.name, at: now.toISOString() });
      } else {
        // Withdraw its latest entry still in view (within the grace period, as a typo).
        const id = w.own.pop();
        const index = id ? indexOf(log.array, id) : -1;
        if (index >= 0) log.array.delete(index, 1);
      }
      return;
    }
    case 'tasks': {
      const board = view(w.doc, TaskBoardDoc);
      const ids = [...board.root.keys()];
      const r = random();
      if (ids.length === 0 || (r < 0.3 && ids.length < MAX_RECORDS)) board.create({ title: text(), priority: pick(['low', 'normal', 'high', 'urgent'] as const) }, w.name, now);
      else if (r < 0.55) board.update(pick(ids), { status: pick(['todo', 'in_progress', 'blocked', 'done', 'cancelled'] as const), order: Math.floor(random() * 1000) / 8 });
      else if (r < 0.8) board.update(pick(ids), { title: text(), description: text() });
      else board.assign(pick(ids), chance(0.3) ? null : pick(['Alice', 'Bob', 'Chloé']));
      return;
    }
    case 'decisions': {
      const decisions = view(w.doc, DecisionsDoc);
      const ids = [...decisions.root.keys()];
      const r = random();
      if (ids.length === 0 || (r < 0.3 && ids.length < MAX_RECORDS)) decisions.record({ title: text(), statement: text(), status: 'proposed' }, w.name, now);
      else if (r < 0.5) {
        // Statuses change a few times per decision, as in a cell (the history is append-only).
        const id = pick(ids);
        const history = (decisions.root.get(id) as Y.Map<unknown>).get(DECISION_HISTORY_KEY);
        if (history instanceof Y.Array && history.length < 8) decisions.setStatus(id, pick(['approved', 'rejected', 'revoked'] as const), w.name, now, chance(0.5) ? text() : null);
      }
      else if (r < 0.75) decisions.update(pick(ids), { rationale: text(), options: [text(), text()] });
      else {
        const statement = decisions.statementText(pick(ids));
        if ((chance(0.6) && statement.length < 400) || statement.length === 0) statement.insert(Math.floor(random() * (statement.length + 1)), ` ${pick(words)}`);
        else statement.delete(Math.floor(random() * statement.length), 1 + Math.floor(random() * 4));
      }
      return;
    }
    case 'reports': {
      const reports = view(w.doc, ReportsDoc);
      const ids = [...reports.root.keys()];
      const r = random();
      if (ids.length === 0 || (r < 0.2 && ids.length < MAX_RECORDS / 2)) {
        reports.createDraft({ windowFrom: new Date(now.getTime() - 3_600_000).toISOString(), windowTo: now.toISOString() }, w.name, now);
        return;
      }
      const id = pick(ids);
      // A published report is sealed (server/parts/reports/sealed.ts): only drafts are edited.
      if (reports.get(id)?.status !== 'draft') return;
      if (r < 0.9) reports.setSection(id, pick(REPORT_SECTIONS), text());
      else reports.publish(id, w.name, now);
      return;
    }
    case 'regulatory': {
      const doc = view(w.doc, RegulatoryDoc);
      const ids = [...doc.root.keys()];
      if (ids.length === 0 || (chance(0.3) && ids.length < MAX_RECORDS)) doc.create({ kind: pick(DRAFT_KINDS.filter((k) => k !== 'cnil_complementary')), organisation: text() }, w.name, now);
      else doc.update(pick(ids), { organisation: text(), description: text() } as never);
      return;
    }
  }
}

/** The index of the live item holding `id` in `array`, or -1 (gone). */
function indexOf(array: Y.Array<unknown>, id: Y.ID): number {
  let i = 0;
  for (let item = array._start; item; item = item.right) {
    if (item.deleted || !item.countable) continue;
    if (item.id.client === id.client && id.clock >= item.id.clock && id.clock < item.id.clock + item.length) return i + id.clock - item.id.clock;
    i += item.length;
  }
  return -1;
}

/** A forged update that puts a valid-looking record where no reader looks; admission must refuse it. */
function forge(p: Part, w: Writer): void {
  const bytes = ((): Uint8Array | null => {
    const doc = new Y.Doc();
    const entry = JSON.stringify(buildLogEntry({ text: 'forged' }, w.name, new Date()));
    switch (p.part) {
      case 'log':
        doc.getMap(chance(0.5) ? ROOTS.log : VERIFICATIONS_ROOT).set('hidden', entry);
        break;
      case 'tasks': {
        const task = new Y.Map<unknown>();
        doc.getMap(ROOTS.tasks).set(newId(), task);
        task.set('title', 'forged');
        break;
      }
      default:
        doc.getArray(ROOTS[p.part]).insert(0, [entry]);
    }
    return Y.encodeStateAsUpdate(doc);
  })();
  if (!bytes) return;
  const before = p.journal.length;
  expect(admit(p, bytes, w)).toBe(false);
  expect(p.journal.length).toBe(before);
  p.forgedRefused += 1;
}

const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id) || JSON.stringify(a).localeCompare(JSON.stringify(b)));
const byJson = <T>(list: T[]) => list.map((x) => JSON.stringify(x)).sort();

/** The live state through the shared reader equals the journal replay, record for record. */
function expectSame(p: Part): void {
  const r = p.replay as unknown;
  switch (p.part) {
    case 'meta':
      expect((r as MetaReplayer).meta()).toEqual(readMeta(p.live));
      return;
    case 'log': {
      const live = readLog(p.live);
      expect(byJson((r as LogReplayer).entries())).toEqual(byJson(live.entries));
      expect(byJson((r as LogReplayer).verifications())).toEqual(byJson(live.verifications));
      expect((r as LogReplayer).unreadable).toBe(0);
      return;
    }
    case 'tasks':
      expect(byId((r as TasksReplayer).tasks())).toEqual(byId(readTasks(p.live)));
      return;
    case 'decisions':
      expect(byId((r as DecisionsReplayer).list())).toEqual(byId(readDecisions(p.live)));
      return;
    case 'reports':
      expect(byId((r as ReportsReplayer).list())).toEqual(byId(readReports(p.live)));
      return;
    case 'regulatory':
      expect(byId((r as RegulatoryReplayer).list())).toEqual(byId(readRegulatory(p.live)));
      return;
  }
}

test(`live state through the shared reader equals the journal replay at head, for ${TOTAL_UPDATES} random updates across every part (seed ${SEED})`, () => {
  const parts = new Map<DocPart, Part>();
  for (const part of DOC_PARTS) {
    const live = new Y.Doc();
    // The room defines its part's roots before applying anything (server/documents/room.ts).
    declareRoots(live, partModule(part));
    const p: Part = { part, live, journal: [], writers: [], replay: replayerFor(part), refused: 0, forgedRefused: 0 };
    parts.set(part, p);
    if (part === 'meta') {
      // The server creates the incident: its first record.
      const server: Writer = { name: 'server', doc: live, online: true, own: [] };
      const first = Y.encodeStateAsUpdate((() => {
        const d = new Y.Doc();
        new MetaDoc(d).init({ id: incidentId, title: 'Cyberattaque', status: 'open', severity: 'high', detectedAt: null, openedAt: new Date().toISOString(), closedAt: null });
        return d;
      })());
      expect(admit(p, first, server)).toBe(true);
    }
    for (let i = 0; i < WRITERS; i++) p.writers.push(newWriter(p, ['Alice', 'Bob', 'Chloé'][i]!));
  }

  let updates = 0;
  let merges = 0;
  let step = 0;
  while (updates < TOTAL_UPDATES) {
    step += 1;
    const p = parts.get(pick(PART_DRAW))!;
    const w = pick(p.writers);
    const r = random();
    if (r < 0.04) {
      forge(p, w);
    } else if (r < 0.1) {
      // Offline for a while, or back with a merge.
      if (w.online) w.online = false;
      else {
        const sent = reconnect(p, w);
        updates += sent;
        merges += sent;
      }
    } else updates += timed(`edit ${p.part}`, () => edit(p, w, () => timed(`op ${p.part}`, () => operate(p, w))));
    if (step % 2_500 === 0) for (const q of parts.values()) expectSame(q);
  }
  for (const p of parts.values()) {
    for (const w of p.writers) if (!w.online) updates += reconnect(p, w);
    expectSame(p);
  }
  const journaled = [...parts.values()].reduce((n, p) => n + p.journal.length, 0);
  const summary = Object.fromEntries([...parts.values()].map((p) => [p.part, { journal: p.journal.length, refused: p.refused, forged: p.forgedRefused }]));
  // At least 10,000 updates reached admission, nearly all admitted; concurrent merges happened.
  if (process.env.DEBUG_PROPERTY) console.log(summary, [...refusals].slice(0, 8), [...timing].map(([k, v]) => `${k}: ${Math.round(v)} ms`));
  expect(updates).toBeGreaterThanOrEqual(TOTAL_UPDATES);
  expect(journaled).toBeGreaterThanOrEqual(TOTAL_UPDATES * 0.9);
  expect(merges).toBeGreaterThan(50);
  expect({ summary, forged: [...parts.values()].every((p) => p.forgedRefused > 0) }).toEqual({ summary, forged: true });
});
