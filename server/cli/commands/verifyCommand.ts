import fs from 'node:fs';
import path from 'node:path';
import { IdSchema } from '../../../shared/model/common';
import { parseDocName } from '../../../shared/model/parts';
import { type CheckpointFile, parseCheckpointFile } from '../../evidence/checkpointFile';
import { type VerifyReport, verifyJournal } from '../../evidence/verify';
import { check, parseCommandArgs } from '../args';
import { type CliIo, EXIT, UsageError } from '../io';
import { openCliStore } from '../openCliStore';
import { ProgressBar } from '../progress';

export const VERIFY_HELP = `crisis-cell verify [incident] [--checkpoint <file>]... [--head <journal head>] [--json]
  Checks every hash chain (of one incident, or of the whole store): each record against its
  hash and the one before it, each chain's end against the heads table, every checkpoint's
  signature and head. --checkpoint adds checkpoints exported earlier (JSON or the printed text;
  repeatable): they catch a chain rewritten and recomputed from scratch. --head checks the
  journal head printed on an export. Names the first record that does not match.
  Exit code 0 when everything matches, 1 when something does not.`;

export async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    checkpoint: { type: 'string', multiple: true },
    head: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 1) throw new UsageError('verify takes at most one incident id');
  const incidentId = positionals[0] === undefined ? undefined : check(IdSchema, positionals[0]);
  const files: CheckpointFile[] = ((values.checkpoint as string[] | undefined) ?? []).map((f) => {
    const file = path.resolve(io.cwd, f);
    let content: string;
    try {
      content = fs.readFileSync(file, 'utf8');
    } catch {
      throw new UsageError(`cannot read checkpoint file ${file}`);
    }
    try {
      return parseCheckpointFile(content);
    } catch (err) {
      throw new UsageError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const head = values.head as string | undefined;
  if (head && !incidentId) throw new UsageError('--head needs the incident id');

  const { store } = await openCliStore(io.env);
  const bar = new ProgressBar(io.stderr);
  let report: VerifyReport;
  try {
    report = await verifyJournal(store, {
      ...(incidentId ? { incidentId } : {}),
      checkpointFiles: files,
      ...(head ? { headRef: head } : {}),
      onProgress: (done, total) => bar.update('verify', done, total),
    });
  } catch (err) {
    if (err instanceof Error && /journal head/.test(err.message)) throw new UsageError(err.message);
    throw err;
  } finally {
    bar.finish();
    await store.close();
  }
  io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, files.length));
  return report.ok ? EXIT.ok : EXIT.failed;
}

function renderReport(report: VerifyReport, files: number): string {
  const lines: string[] = [];
  for (const d of report.documents) {
    const { incidentId, part } = parseDocName(d.doc);
    const status = d.problems.length === 0 ? 'ok' : 'FAILED';
    lines.push(`${incidentId} ${part.padEnd(9)} ${String(d.records).padStart(7)} records  ${String(d.checkpoints).padStart(3)} checkpoints  ${status}`);
    for (const p of d.problems) lines.push(`    ${p.kind}: ${p.message}`);
  }
  for (const p of report.problems.filter((p) => !report.documents.some((d) => d.problems.includes(p)))) lines.push(`${p.kind}: ${p.message}`);
  for (const n of report.notes) lines.push(`note: ${n}`);
  const first = report.problems[0];
  lines.push(
    report.ok
      ? `OK: ${report.documents.length} chains verified${files ? ` against ${files} exported checkpoint file(s)` : ''}.`
      : `FAILED: ${report.problems.length} problem(s). First record that does not match: ${first!.doc}#${first!.seq}.`,
  );
  return lines.join('\n') + '\n';
}
