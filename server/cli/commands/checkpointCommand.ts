import path from 'node:path';
import { z } from 'zod';
import { IdSchema } from '../../../shared/model/common';
import { DOC_PARTS, docName, parseDocName } from '../../../shared/model/parts';
import { checkpointFile, checkpointFileText } from '../../evidence/checkpointFile';
import { openCheckpoints } from '../../app/checkpoints';
import { check, parseCommandArgs } from '../args';
import { type CliIo, EXIT, UsageError } from '../io';
import { openCliStore } from '../openCliStore';
import { openOutput } from '../output';

export const CHECKPOINT_HELP = `crisis-cell checkpoint sign [incident]
  Signs a checkpoint now of every document (of the incident) whose journal grew since its last one.
crisis-cell checkpoint export [incident] [--format json|txt] [--out <file>]
  Writes the checkpoints (of the incident, or all) to keep off the machine: json for a file,
  txt to print and file on paper. Keep the public key's id (printed) with them.
crisis-cell public-key [--out <file>]
  Writes the checkpoint public key (PEM) and prints its id.`;

export async function checkpointCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'sign') return sign(rest, io);
  if (sub === 'export') return exportCheckpoints(rest, io);
  throw new UsageError('checkpoint: expected "sign" or "export"');
}

async function sign(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  if (positionals.length > 1) throw new UsageError('checkpoint sign takes at most one incident id');
  const incident = positionals[0] === undefined ? undefined : check(IdSchema, positionals[0]);
  const { config, store, logger } = await openCliStore(io.env);
  try {
    const service = openCheckpoints(config, store, logger);
    const signed = await service.signNow(incident ? DOC_PARTS.map((p) => docName(incident, p)) : undefined);
    for (const c of signed) io.stdout.write(`signed ${c.doc}#${c.seq} ${c.head} at ${c.signedAt.toISOString()} (key ${c.keyId})\n`);
    if (signed.length === 0) io.stdout.write('nothing new to sign: every journal is covered by a checkpoint at its head\n');
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

const ExportSchema = z.object({ format: z.enum(['json', 'txt']), out: z.string().min(1).optional() });

async function exportCheckpoints(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { format: { type: 'string', short: 'f' }, out: { type: 'string', short: 'o' } });
  if (positionals.length > 1) throw new UsageError('checkpoint export takes at most one incident id');
  const incident = positionals[0] === undefined ? undefined : check(IdSchema, positionals[0]);
  const out = values.out as string | undefined;
  const opts = check(ExportSchema, { format: values.format ?? (out && path.extname(out) === '.txt' ? 'txt' : 'json'), out });
  const { store } = await openCliStore(io.env);
  try {
    const all = (await store.listCheckpoints()).filter((c) => !incident || parseDocName(c.doc).incidentId === incident);
    const file = checkpointFile(all, incident ?? null, new Date());
    const output = openOutput(opts.out, io.cwd, io.stdout);
    output.stream.end(opts.format === 'txt' ? checkpointFileText(file) : `${JSON.stringify(file, null, 2)}\n`);
    await output.commit();
    io.stderr.write(`${all.length} checkpoint(s) → ${output.describe}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export async function publicKeyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { out: { type: 'string', short: 'o' } });
  if (positionals.length > 0) throw new UsageError('public-key takes no argument');
  const { config, store, logger } = await openCliStore(io.env);
  try {
    const service = openCheckpoints(config, store, logger);
    const output = openOutput(values.out as string | undefined, io.cwd, io.stdout);
    output.stream.end(service.key.publicPem);
    await output.commit();
    io.stderr.write(`checkpoint public key id ${service.key.keyId}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
