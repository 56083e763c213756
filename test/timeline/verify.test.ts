import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { TimelineExportSchema } from '../../shared/timeline/exportDocument';
import { suiteServer } from './helpers/suiteServer';
import { cli } from './helpers/cli';
import { insiderCopy, recomputeChain } from './helpers/tamper';
import { createIncident } from '../helpers/testServer';
import { testUser } from '../helpers/accounts';
import { DOC_PARTS, docName } from '../../shared/model/parts';
import { formatHeadRef } from '../../shared/timeline/headRef';
import { incidentHeadHash } from '../../server/evidence/headHash';

/**
 * An insider with access to the database file: drops the append-only triggers and rewrites the
 * journal. Every kind of rewrite must make `crisis-cell verify` fail and name the record.
 */
const suite = suiteServer();
const ENTRIES = 10;
let incident: string;
let logDoc: string;
let headRef: string;
/** The same head as printed before the reports and regulatory parts existed: four counts, v1 hash. */
let headRefV1: string;
let scratch: string;
let checkpointFile: string;
/** The user id the journal holds for the entries of 'Agent 0' (another real author, for an insider's swap). */
let agent0: string;

beforeAll(async () => {
  const { server } = suite();
  // Three agents, members of the incident (helper users are members of helper incidents).
  incident = await createIncident(server.url, 'Preuve');
  logDoc = `${incident}:log`;
  agent0 = (await testUser(server.url, 'Agent 0')).id;
  for (let i = 1; i <= ENTRIES; i++) {
    const res = await suite().fetch(`/api/incidents/${incident}/log`, { as: `Agent ${i % 3}`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `Constat n°${i}` }) });
    expect(res.status).toBe(201);
  }
  // What was handed over before the insider came: a printed export's journal head, and the signed checkpoints, kept off the machine.
  const journal = TimelineExportSchema.parse(await (await suite().fetch(`/api/incidents/${incident}/timeline?format=json`)).json()).journal;
  headRef = journal.headRef;
  const heads = journal.heads.slice(0, 4).map((h) => ({ doc: docName(incident, h.part), seq: h.seq, hash: h.hash }));
  headRefV1 = formatHeadRef(heads.map((h) => h.seq), incidentHeadHash(heads, DOC_PARTS.slice(0, 4)));
  expect((await suite().fetch(`/api/incidents/${incident}/checkpoints`, { method: 'POST' })).status).toBe(201);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-tamper-'));
  checkpointFile = path.join(scratch, 'checkpoints.txt');
  fs.writeFileSync(checkpointFile, await (await suite().fetch(`/api/incidents/${incident}/checkpoints?format=txt`)).text());
  await server.close();
});

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let copies = 0;
/** A fresh copy of the intact data folder, tampered with by `act`, then verified. */
async function tamperAndVerify(act: (db: Database.Database) => void, extraArgs: string[] = []) {
  const { dir, db } = insiderCopy(suite().dataDir, path.join(scratch, `copy-${++copies}`));
  try {
    act(db);
  } finally {
    db.close();
  }
  return cli(['verify', incident, ...extraArgs], { DATA_DIR: dir });
}

function row(db: Database.Database, seq: number) {
  return db.prepare<[string, number], { update_bytes: Buffer; author: string }>('SELECT update_bytes, author FROM journal WHERE doc = ? AND seq = ?').get(logDoc, seq)!;
}

test('an intact journal verifies, against its stored and exported checkpoints and its printed head', async () => {
  const run = await tamperAndVerify(() => undefined, ['--checkpoint', checkpointFile, '--head', headRef]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/OK: 6 chains verified against 1 exported checkpoint file/);
  expect(run.stdout).toMatch(new RegExp(`${incident} log\\s+${ENTRIES} records`));
  // Whole store too.
  const all = await tamperAndVerify(() => undefined);
  expect(all.code).toBe(0);
});

test('changing one byte of one record names that record', async () => {
  const run = await tamperAndVerify((db) => {
    const bytes = Buffer.from(row(db, 4).update_bytes);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0x01;
    db.prepare('UPDATE journal SET update_bytes = ? WHERE doc = ? AND seq = 4').run(bytes, logDoc);
  });
  expect(run.code).toBe(1);
  expect(run.stdout).toContain(`content: record ${logDoc}#4 `);
  expect(run.stdout).toContain(`First record that does not match: ${logDoc}#4.`);
});

test('changing who wrote a record names that record', async () => {
  // Entry 5 was written by Agent 2: the insider hands it to Agent 0 (a real account's id).
  const run = await tamperAndVerify((db) => expect(db.prepare('UPDATE journal SET author = ? WHERE doc = ? AND seq = 5 AND author <> ?').run(agent0, logDoc, agent0).changes).toBe(1));
  expect(run.code).toBe(1);
  expect(run.stdout).toContain(`First record that does not match: ${logDoc}#5.`);
});

test('deleting one record names it as missing', async () => {
  const run = await tamperAndVerify((db) => db.prepare('DELETE FROM journal WHERE doc = ? AND seq = 6').run(logDoc));
  expect(run.code).toBe(1);
  expect(run.stdout).toContain(`missing: record ${logDoc}#6 is missing: the journal goes from #5 to #7`);
  expect(run.stdout).toContain(`First record that does not match: ${logDoc}#6.`);
});

test('reordering two records names the first one out of place', async () => {
  const run = await tamperAndVerify((db) => {
    const swap = db.prepare('UPDATE journal SET seq = ? WHERE doc = ? AND seq = ?');
    swap.run(-1, logDoc, 3);
    swap.run(3, logDoc, 8);
    swap.run(8, logDoc, -1);
  });
  expect(run.code).toBe(1);
  expect(run.stdout).toContain(`First record that does not match: ${logDoc}#3.`);
});

test('truncating the tail names the first record removed', async () => {
  const run = await tamperAndVerify((db) => db.prepare('DELETE FROM journal WHERE doc = ? AND seq > ?').run(logDoc, ENTRIES - 2));
  expect(run.code).toBe(1);
  expect(run.stdout).toContain(`truncated: record ${logDoc}#${ENTRIES - 1} is missing: the journal ends at #${ENTRIES - 2} but its head was #${ENTRIES}`);
  // An insider who also rewinds the heads table is caught by the signed checkpoint.
  const careful = await tamperAndVerify((db) => {
    db.prepare('DELETE FROM journal WHERE doc = ? AND seq > ?').run(logDoc, ENTRIES - 2);
    recomputeChain(db, logDoc);
  });
  expect(careful.code).toBe(1);
  expect(careful.stdout).toContain(`record ${logDoc}#${ENTRIES - 1} is missing: the checkpoint signed at`);
});

test('a whole chain recomputed by hand passes on its own but fails against the checkpoints exported earlier and the printed head', async () => {
  const coverUp = (db: Database.Database) => {
    db.prepare('UPDATE journal SET author = ? WHERE doc = ? AND seq = 2').run(agent0, logDoc);
    recomputeChain(db, logDoc);
    // The checkpoints kept in the database go too (they are the insider's to delete).
    db.exec('DELETE FROM checkpoints');
  };
  const alone = await tamperAndVerify(coverUp);
  expect(alone.code).toBe(0);

  const withFile = await tamperAndVerify(coverUp, ['--checkpoint', checkpointFile]);
  expect(withFile.code).toBe(1);
  expect(withFile.stdout).toContain(`checkpoint: records ${logDoc}#1..#${ENTRIES} were rewritten and the chain recomputed`);
  expect(withFile.stdout).toContain(`First record that does not match: ${logDoc}#1.`);

  const withHead = await tamperAndVerify(coverUp, ['--head', headRef]);
  expect(withHead.code).toBe(1);
  expect(withHead.stdout).toContain('the journal no longer matches the printed head');
  // A head printed before the reports and regulatory parts existed (four counts) still catches it.
  const withOldHead = await tamperAndVerify(coverUp, ['--head', headRefV1]);
  expect(withOldHead.code).toBe(1);
  expect(withOldHead.stdout).toContain('the journal no longer matches the printed head');
});

test('a checkpoint file whose signature was altered is refused', async () => {
  const forged = path.join(scratch, 'forged.txt');
  const text = fs.readFileSync(checkpointFile, 'utf8');
  // Claim another head for the log: the signature no longer matches.
  fs.writeFileSync(forged, text.replace(/(document: \S+:log\nseq: \d+\nhead: )([0-9a-f])/, (_m, p: string, c: string) => p + (c === '0' ? '1' : '0')));
  const run = await tamperAndVerify(() => undefined, ['--checkpoint', forged]);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/has an invalid signature: it was forged or altered/);
});

test('bad arguments are usage errors that change nothing', async () => {
  const dir = suite().dataDir;
  expect((await cli(['verify', 'NOT AN ID'], { DATA_DIR: dir })).code).toBe(2);
  expect((await cli(['verify', incident, '--checkpoint', path.join(scratch, 'nope.json')], { DATA_DIR: dir })).stderr).toMatch(/cannot read checkpoint file/);
  expect((await cli(['verify', incident, '--head', 'garbage'], { DATA_DIR: dir })).code).toBe(2);
  expect((await cli(['verify', '--head', headRef], { DATA_DIR: dir })).stderr).toMatch(/--head needs the incident id/);
  const missing = await cli(['verify'], { DATA_DIR: path.join(scratch, 'no-such-dir') });
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/no database at .*crisis-cell\.db/);
  expect(fs.existsSync(path.join(scratch, 'no-such-dir'))).toBe(false);
});
