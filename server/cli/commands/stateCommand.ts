import { z } from 'zod';
import { IdSchema, IsoTimeSchema } from '../../../shared/model/common';
import { openCliTimeline } from '../../app/timeline';
import { check, parseCommandArgs } from '../args';
import { type CliIo, EXIT, UsageError } from '../io';
import { openCliStore } from '../openCliStore';
import { openOutput } from '../output';

export const STATE_HELP = `crisis-cell state <incident> --at <ISO time> [--out <file>]
  The log, board and decisions as they stood at that time, replayed from the journal (JSON).
crisis-cell incidents
  Lists the incidents of the store.`;

export async function stateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { at: { type: 'string' }, out: { type: 'string', short: 'o' } });
  if (positionals.length !== 1) throw new UsageError('state takes exactly one incident id');
  const opts = check(z.object({ incident: IdSchema, at: IsoTimeSchema, out: z.string().optional() }), { incident: positionals[0], at: values.at, out: values.out });
  const { store } = await openCliStore(io.env);
  try {
    const state = await (await openCliTimeline(store)).stateAt(opts.incident, new Date(opts.at));
    const output = openOutput(opts.out, io.cwd, io.stdout);
    output.stream.end(`${JSON.stringify(state, null, 2)}\n`);
    await output.commit();
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export async function incidentsCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  if (positionals.length > 0) throw new UsageError('incidents takes no argument');
  const { store } = await openCliStore(io.env);
  try {
    for (const m of await store.listIncidents()) io.stdout.write(`${m.id}  ${m.status.padEnd(6)}  ${m.openedAt}  ${m.title}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
