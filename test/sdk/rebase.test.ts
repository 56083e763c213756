import * as Y from 'yjs';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { TaskBoardDoc } from '../../shared/docs/taskBoardDoc';
import { DecisionsDoc } from '../../shared/docs/decisionsDoc';
import { ReportsDoc } from '../../shared/docs/reportsDoc';
import { applyChange, captureTransaction, diffSnapshots, snapshot } from '../../client/sdk/rebase';
import type { DocPart } from '../../shared/model/parts';
import { hasNewContent } from '../../client/sdk/updates';

const now = new Date('2026-03-01T10:00:00Z');

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** The record-level changes `edit` makes on `base`, made again on `target`. */
function redo(part: DocPart, base: Y.Doc, edit: (d: Y.Doc) => void, target: Y.Doc) {
  const scratch = copyOf(base);
  const before = snapshot(part, scratch);
  edit(scratch);
  const units = diffSnapshots(before, snapshot(part, scratch));
  for (const unit of units) {
    captureTransaction(target, 'redo', () => {
      for (const c of unit.changes) expect(applyChange(part, target, c)).toBe(true);
    });
  }
  return units;
}

describe('record-level changes, made again on another copy', () => {
  test('log entries: one unit each, appended once (a change already there is left as it is)', () => {
    const server = new Y.Doc();
    new LogDoc(server).append(buildLogEntry({ text: 'avant' }, 'Alice', now));
    const local = copyOf(server);
    const a = buildLogEntry({ text: 'un' }, 'Alice', now);
    const b = buildLogEntry({ text: 'deux' }, 'Alice', now);
    const units = redo('log', local, (d) => {
      new LogDoc(d).append(a);
      new LogDoc(d).append(b);
    }, server);
    expect(units).toHaveLength(2);
    expect(new LogDoc(server).entries().map((e) => e.text)).toEqual(['avant', 'un', 'deux']);
    // Made again: nothing doubles.
    redo('log', local, (d) => {
      new LogDoc(d).append(a);
    }, server);
    expect(new LogDoc(server).entries().map((e) => e.text)).toEqual(['avant', 'un', 'deux']);
  });

  test('tasks: a new task is one unit; a move of an existing one writes only its changed fields', () => {
    const server = new Y.Doc();
    const task = new TaskBoardDoc(server).create({ title: 'Isoler' }, 'Alice', now);
    const local = copyOf(server);
    const units = redo('tasks', local, (d) => {
      new TaskBoardDoc(d).move(task.id, 'done');
      new TaskBoardDoc(d).create({ title: 'Prévenir' }, 'Alice', now);
    }, server);
    expect(units).toHaveLength(2);
    const board = new TaskBoardDoc(server);
    expect(board.get(task.id)?.status).toBe('done');
    expect(board.list().map((t) => t.title).sort()).toEqual(['Isoler', 'Prévenir']);
  });

  test('decisions: the statement text and the history follow; a change to a record the copy lacks does not apply', () => {
    const server = new Y.Doc();
    const local = new Y.Doc();
    const d = new DecisionsDoc(local).record({ title: 'Couper', statement: 'Tout couper' }, 'Alice', now);
    const units = redo('decisions', new Y.Doc(), (doc) => {
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(local));
    }, server);
    expect(units).toHaveLength(1);
    expect(new DecisionsDoc(server).get(d.id)).toMatchObject({ title: 'Couper', statement: 'Tout couper', history: [{ status: 'proposed' }] });

    // A status change of a decision the target does not have: refused to apply.
    const scratch = copyOf(local);
    const before = snapshot('decisions', scratch);
    new DecisionsDoc(scratch).setStatus(d.id, 'approved', 'Alice', now);
    const [unit] = diffSnapshots(before, snapshot('decisions', scratch));
    expect(unit!.changes.every((c) => applyChange('decisions', new Y.Doc(), c))).toBe(false);
  });

  test('report sections: an edit made again keeps what someone else wrote elsewhere in the text', () => {
    const server = new Y.Doc();
    const r = new ReportsDoc(server).createDraft({ windowFrom: now.toISOString(), windowTo: now.toISOString(), sections: { conditions: 'Le réseau est coupé.' } }, 'Alice', now);
    const local = copyOf(server);
    // Someone else, meanwhile, on the server.
    new ReportsDoc(server).setSection(r.id, 'conditions', 'Le réseau est coupé. Bob');
    redo('reports', local, (d) => new ReportsDoc(d).setSection(r.id, 'conditions', 'Alice : le réseau est coupé.'), server);
    expect(new ReportsDoc(server).get(r.id)?.sections.conditions).toBe('Alice : le réseau est coupé. Bob');
  });
});

describe('what a joining copy sends', () => {
  test('a copy that only received holds deletions, but nothing the server lacks', () => {
    const server = new Y.Doc();
    const board = new TaskBoardDoc(server);
    const t = board.create({ title: 'Isoler' }, 'Alice', now);
    board.move(t.id, 'done');
    const copy = copyOf(server);
    const reply = Y.encodeStateAsUpdate(server, Y.encodeStateVector(copy));
    const diff = Y.encodeStateAsUpdate(copy, Y.encodeStateVector(server));
    expect(diff.length).toBeGreaterThan(2);
    expect(hasNewContent(diff, [reply])).toBe(false);
    // An offline deletion alone (no new item) is new.
    const r = new ReportsDoc(server).createDraft({ windowFrom: now.toISOString(), windowTo: now.toISOString(), sections: { conditions: 'abc' } }, 'Alice', now);
    const c2 = copyOf(server);
    new ReportsDoc(c2).setSection(r.id, 'conditions', 'a');
    const diff2 = Y.encodeStateAsUpdate(c2, Y.encodeStateVector(server));
    expect(hasNewContent(diff2, [Y.encodeStateAsUpdate(server, Y.encodeStateVector(c2))])).toBe(true);
  });
});
