import { DOC_PARTS, type DocName, docName, parseDocName } from '../../shared/model/parts';
import { parseHeadRef } from '../../shared/timeline/headRef';
import type { DocumentStore, JournalHead, StoredCheckpoint } from '../storage/documentStore';
import { journalPages } from '../storage/journalPages';
import { ChainChecker, type ChainProblem } from './chainChecker';
import { checkpointSignatureValid } from './checkpoints';
import { type CheckpointFile, toStoredCheckpoint } from './checkpointFile';
import { GENESIS_HASH } from '../storage/chain';
import { incidentHeadHash } from './headHash';

export interface VerifyOptions {
  /** One incident's documents (one per part, DOC_PARTS); every document of the store when absent. */
  incidentId?: string;
  /** Checkpoints kept off the machine: the only defence against a chain recomputed from scratch. */
  checkpointFiles?: CheckpointFile[];
  /** A journal head printed on an export (`<seqs>:<hash>`): the journal must still hold exactly those records. */
  headRef?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface DocumentVerdict {
  doc: DocName;
  records: number;
  head: JournalHead;
  checkpoints: number;
  problems: ChainProblem[];
}

export interface VerifyReport {
  ok: boolean;
  documents: DocumentVerdict[];
  /** Every problem, the first record of each document first. */
  problems: ChainProblem[];
  /** Things a reader should know that are not failures (keys used, legacy seals). */
  notes: string[];
}

/**
 * Checks every chain: each record against its hash and its predecessor, each chain's end
 * against the heads table, each checkpoint (stored, or from files kept elsewhere) against its
 * signature and the journal, and optionally the head printed on an export. Names the first
 * record that does not match, per document.
 */
export async function verifyJournal(store: DocumentStore, options: VerifyOptions = {}): Promise<VerifyReport> {
  const fileCheckpoints = (options.checkpointFiles ?? []).flatMap((f) => f.checkpoints.map(toStoredCheckpoint));
  const inScope = (doc: string) => !options.incidentId || parseDocName(doc as DocName).incidentId === options.incidentId;
  const headRef = options.headRef ? parseHeadRef(options.headRef) : null;
  if (headRef && !options.incidentId) throw new Error('a journal head (--head) belongs to one incident: name the incident');

  const heads = new Map((await store.journalHeads()).filter((h) => inScope(h.doc)).map((h) => [h.doc, h]));
  const docs = new Set<DocName>([...heads.keys()]);
  if (options.incidentId) for (const p of DOC_PARTS) docs.add(docName(options.incidentId, p));
  else for (const meta of await store.listIncidents()) for (const p of DOC_PARTS) docs.add(docName(meta.id, p));
  const stored = (await store.listCheckpoints()).filter((c) => inScope(c.doc));
  for (const c of [...stored, ...fileCheckpoints]) if (inScope(c.doc)) docs.add(c.doc);

  const total = [...heads.values()].reduce((n, h) => n + h.seq, 0);
  let done = 0;
  const notes: string[] = [];
  const keys = new Map<string, number>();
  const documents: DocumentVerdict[] = [];
  const refHashes = new Map<DocName, string | undefined>();
  for (const doc of [...docs].sort()) {
    const head = heads.get(doc) ?? { doc, seq: 0, hash: GENESIS_HASH };
    const checkpoints = [...stored.filter((c) => c.doc === doc), ...fileCheckpoints.filter((c) => c.doc === doc)];
    for (const c of checkpoints) keys.set(c.keyId, (keys.get(c.keyId) ?? 0) + 1);
    const refIndex = headRef ? headRef.parts.indexOf(parseDocName(doc).part) : -1;
    const refSeq = headRef && refIndex >= 0 ? headRef.seqs[refIndex] : undefined;
    const watch = new Set<number>([...checkpoints.map((c) => c.seq), ...(refSeq !== undefined ? [refSeq] : [])]);
    const checker = new ChainChecker(doc, watch);
    // Read past the head the heads table names: records beyond it would be added behind the server's back.
    for await (const page of journalPages(store, doc, Number.MAX_SAFE_INTEGER)) {
      for (const r of page) checker.check(r);
      done += page.length;
      options.onProgress?.(done, total);
    }
    checker.finish(head);
    const problems: ChainProblem[] = checker.problem ? [checker.problem] : [];
    problems.push(...checkpointProblems(doc, checker, checkpoints));
    documents.push({ doc, records: checker.checked, head, checkpoints: checkpoints.length, problems: problems.sort((a, b) => a.seq - b.seq) });
    if (refSeq !== undefined) refHashes.set(doc, checker.hashAt(refSeq));
  }

  const problems = documents.flatMap((d) => d.problems);
  if (headRef && options.incidentId) {
    const problem = headRefProblem(options.incidentId, headRef, refHashes);
    if (problem) problems.push(problem);
  }
  for (const [keyId, count] of keys) notes.push(`${count} checkpoint(s) signed with key ${keyId}`);
  for (const seal of await store.legacySeals()) {
    if (inScope(seal.doc)) notes.push(`${seal.doc} #1..#${seal.throughSeq} predate hashing and were sealed at upgrade on ${seal.sealedAt.toISOString()}: vouched for from then on`);
  }
  return { ok: problems.length === 0, documents, problems, notes };
}

/**
 * A checkpoint must carry a valid signature, and the journal must still hold its head at its
 * seq. A checkpoint that no longer matches tells that records up to its seq were rewritten
 * (and every hash recomputed, or the chain check would have caught it first): the first record
 * it names is the one after the last checkpoint that still matches.
 */
function checkpointProblems(doc: DocName, checker: ChainChecker, checkpoints: StoredCheckpoint[]): ChainProblem[] {
  const out: ChainProblem[] = [];
  let lastGood = 0;
  for (const c of [...checkpoints].sort((a, b) => a.seq - b.seq)) {
    const when = `the checkpoint signed at ${c.signedAt.toISOString()} with key ${c.keyId}`;
    if (!checkpointSignatureValid(c)) {
      out.push({ doc, seq: c.seq, kind: 'checkpoint', message: `${when} for ${doc}#${c.seq} has an invalid signature: it was forged or altered` });
      continue;
    }
    if (checker.problem && checker.problem.seq <= c.seq) continue; // already explained by the chain itself
    if (c.seq > checker.lastSeq) {
      out.push({ doc, seq: checker.lastSeq + 1, kind: 'truncated', message: `record ${doc}#${checker.lastSeq + 1} is missing: ${when} covers ${doc} up to #${c.seq}, the journal ends at #${checker.lastSeq}` });
      continue;
    }
    const actual = checker.hashAt(c.seq);
    if (actual !== c.head) {
      out.push({
        doc,
        seq: lastGood + 1,
        kind: 'checkpoint',
        message: `records ${doc}#${lastGood + 1}..#${c.seq} were rewritten and the chain recomputed: ${when} says #${c.seq} hashed to ${c.head.slice(0, 16)}…, the journal now has ${(actual ?? '').slice(0, 16)}…`,
      });
      break;
    }
    lastGood = c.seq;
  }
  return out;
}

/**
 * The head printed on an export names a record count per part and the incident head hash over
 * those records' hashes: the journal must still hold the same records there.
 */
function headRefProblem(incidentId: string, ref: ReturnType<typeof parseHeadRef>, hashes: Map<DocName, string | undefined>): ChainProblem | null {
  const heads: JournalHead[] = [];
  for (const [i, part] of ref.parts.entries()) {
    const doc = docName(incidentId, part);
    const seq = ref.seqs[i]!;
    const hash = seq === 0 ? GENESIS_HASH : hashes.get(doc);
    if (hash === undefined) return { doc, seq, kind: 'missing', message: `record ${doc}#${seq}, named by the printed journal head, is missing or lies after a break in the chain` };
    heads.push({ doc, seq, hash });
  }
  const actual = incidentHeadHash(heads, ref.parts);
  if (actual.startsWith(ref.hash)) return null;
  const doc = docName(incidentId, 'meta');
  return { doc, seq: ref.seqs[0]!, kind: 'head', message: `the journal no longer matches the printed head ${ref.seqs.join('-')}:${ref.hash.slice(0, 16)}…: now ${actual.slice(0, 16)}… (records up to those counts were changed)` };
}
