import * as Y from 'yjs';
import { docName, type DocName } from '../../shared/model/parts';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { MetaDoc } from '../../shared/docs/metaDoc';
import { TaskBoardDoc } from '../../shared/docs/taskBoardDoc';
import { DecisionsDoc } from '../../shared/docs/decisionsDoc';
import { LOG_CATEGORIES, encodeLogEntry } from '../../shared/model/log';
import { SEVERITIES } from '../../shared/model/common';
import { TASK_STATUSES, type TaskStatus } from '../../shared/model/tasks';
import { newId } from '../../shared/model/ids';
import type { IncidentMeta } from '../../shared/model/incident';
import type { DocumentStore, NewRecord } from '../../server/storage/documentStore';

export interface SeedTimelineOptions {
  logEntries: number;
  taskMoves: number;
  decisions: number;
  /** How long the crisis lasted; records are spread evenly over it. Default 72 hours. */
  spanHours?: number;
  writers?: number;
}

export interface SeededIncident {
  id: string;
  records: number;
}

const BATCH = 2_000;

/** The log: entries one by one, some key, alerts, amendments, event times given. */
async function seedLog(journal: (doc: Y.Doc) => { flush(force?: boolean): Promise<void> }, count: number, { start, span, authors }: { start: number; span: number; authors: string[] }): Promise<void> {
  const writers = authors.length;
  const doc = new Y.Doc();
  const log = new LogDoc(doc);
  const sink = journal(doc);
  const step = span / Math.max(1, count);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = start + 1_000 + Math.floor(i * step);
    const w = i % writers;
    doc.clientID = 1_000_000 + w * 7_919;
    const amends = i % 50 === 49 ? ids[i - 10]! : null;
    const entry = buildLogEntry(
      {
        text: `${amends ? 'Rectificatif : ' : ''}Point ${i} : situation des urgences, appels au standard, état du réseau isolé — l’équipe ${w} signale « RAS » sauf exception…`,
        category: LOG_CATEGORIES[i % LOG_CATEGORIES.length],
        severity: SEVERITIES[(i * 7) % SEVERITIES.length],
        key: i % 200 === 0,
        source: i % 3 === 0 ? 'Standard' : null,
        eventAt: i % 3 === 1 ? new Date(at - 5 * 60_000).toISOString() : null,
        tags: i % 10 === 0 ? ['réseau'] : [],
        amends,
      },
      authors[w]!,
      new Date(at),
    );
    ids.push(entry.id);
    // insert at the end, not push: push walks the whole array (O(n) per entry).
    doc.transact(() => log.array.insert(log.array.length, [encodeLogEntry(entry)]), { author: authors[w]!, at });
    await sink.flush();
  }
  await sink.flush(true);
  doc.destroy();
}

/**
 * Writes a whole crisis straight into a store, as if members had worked through it for days:
 * one journal record per log entry, task creation, move or assignment, and decision change,
 * each at its own time. Used by the export benchmark and the tests that need a large incident.
 */
export async function seedTimelineIncident(store: DocumentStore, options: SeedTimelineOptions): Promise<SeededIncident> {
  const writers = options.writers ?? 50;
  const span = (options.spanHours ?? 72) * 3_600_000;
  const start = Date.now() - span - 60_000;
  const id = newId();
  const authors = Array.from({ length: writers }, (_, i) => `Membre ${i} — équipe ${['SAMU', 'DSI', 'Direction', 'Urgences', 'Communication'][i % 5]}`);
  let records = 0;

  const meta: IncidentMeta = { id, title: 'Cyberattaque — rançongiciel, CHU (exercice de charge)', status: 'open', severity: 'critical', detectedAt: new Date(start - 2 * 3_600_000).toISOString(), openedAt: new Date(start).toISOString(), closedAt: null };
  const metaDoc = new Y.Doc();
  new MetaDoc(metaDoc).init(meta);
  await store.createIncident(meta, { doc: docName(id, 'meta'), author: authors[0]!, at: new Date(start), update: Y.encodeStateAsUpdate(metaDoc) });
  records += 1;

  /** Journals each transaction of `doc` as one record, at the time given by the origin. */
  const journal = (doc: Y.Doc, name: DocName) => {
    let batch: NewRecord[] = [];
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      const { author, at } = origin as { author: string; at: number };
      batch.push({ author, at: new Date(at), update });
    });
    return {
      async flush(force = false) {
        if (batch.length >= BATCH || (force && batch.length > 0)) {
          const out = batch;
          batch = [];
          await store.append(name, out);
          records += out.length;
        }
      },
    };
  };

  await seedLog((doc) => journal(doc, docName(id, 'log')), options.logEntries, { start, span, authors });

  // The board: tasks created early, then moved between columns, sometimes reassigned.
  {
    const doc = new Y.Doc();
    const board = new TaskBoardDoc(doc);
    const sink = journal(doc, docName(id, 'tasks'));
    const taskCount = Math.max(10, Math.ceil(options.taskMoves / 10));
    const ops = taskCount + options.taskMoves;
    const step = span / Math.max(1, ops + 1);
    const taskIds: string[] = [];
    const cycle: TaskStatus[] = ['in_progress', 'blocked', 'in_progress', 'todo', 'in_progress', 'done'];
    let t = start + 2_000;
    for (let i = 0; i < taskCount; i++, t += step) {
      const author = authors[i % writers]!;
      doc.transact(() => taskIds.push(board.create({ title: `Tâche ${i} : vérifier le poste ${i} — « isoler »`, priority: (['low', 'normal', 'high', 'urgent'] as const)[i % 4] }, author, new Date(t)).id), { author, at: t });
      await sink.flush();
    }
    for (let m = 0; m < options.taskMoves; m++, t += step) {
      const task = taskIds[m % taskCount]!;
      const round = Math.floor(m / taskCount);
      const status = cycle[round % cycle.length]!;
      const author = authors[(m * 3) % writers]!;
      doc.transact(() => {
        board.move(task, status === board.get(task)?.status ? TASK_STATUSES[(TASK_STATUSES.indexOf(status) + 1) % 3]! : status);
        if (m % 10 === 0) board.assign(task, authors[(m * 7) % writers]!);
      }, { author, at: t });
      await sink.flush();
    }
    await sink.flush(true);
    doc.destroy();
  }

  // Decisions: proposed, then approved, every tenth superseding the one before, some revoked.
  {
    const doc = new Y.Doc();
    const decisions = new DecisionsDoc(doc);
    const sink = journal(doc, docName(id, 'decisions'));
    const step = span / Math.max(1, options.decisions * 2 + 1);
    let t = start + 3_000;
    let previous: string | null = null;
    for (let k = 0; k < options.decisions; k++) {
      const author = authors[(k * 11) % writers]!;
      const supersedes: string | null = k % 10 === 9 ? previous : null;
      let created = '';
      doc.transact(() => {
        created = decisions.record({ title: `Décision ${k} — mode dégradé`, statement: `Passer le service ${k % 40} en procédure papier.`, rationale: 'Systèmes indisponibles', supersedes, status: supersedes ? 'approved' : 'proposed' }, author, new Date(t)).id;
      }, { author, at: t });
      t += step;
      await sink.flush();
      if (!supersedes) {
        doc.transact(() => decisions.setStatus(created, k % 25 === 24 ? 'revoked' : k % 2 === 0 ? 'approved' : 'rejected', authors[0]!, new Date(t), null), { author: authors[0]!, at: t });
        t += step;
        await sink.flush();
      }
      previous = created;
    }
    await sink.flush(true);
    doc.destroy();
  }

  // Closed at the end.
  const closeDoc = new Y.Doc();
  Y.applyUpdate(closeDoc, Y.encodeStateAsUpdate(metaDoc));
  const sv = Y.encodeStateVector(closeDoc);
  new MetaDoc(closeDoc).close(new Date(start + span));
  await store.append(docName(id, 'meta'), [{ author: authors[0]!, at: new Date(start + span), update: Y.encodeStateAsUpdate(closeDoc, sv) }]);
  records += 1;
  await store.updateIncidentSummary({ ...meta, status: 'closed', closedAt: new Date(start + span).toISOString() });
  return { id, records };
}
