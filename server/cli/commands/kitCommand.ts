import os from 'node:os';
import { z } from 'zod';
import { IdSchema, PersonSchema } from '../../../shared/model/common';
import { openAccountStore } from '../../auth/openAccountStore';
import { isTimeZone } from '../../export/exportInput';
import { type KitMember, writeKitPdf } from '../../kit/kitPdf';
import { kitReportOf } from '../../kit/kitReport';
import { stateAt } from '../../timeline/stateAt';
import { AppError } from '../../errors';
import { check, parseCommandArgs } from '../args';
import { type CliIo, EXIT, UsageError } from '../io';
import { openCliStore } from '../openCliStore';
import { openOutput } from '../output';

export const KIT_HELP = `crisis-cell kit <incident> --out <file.pdf> [--lang fr|en] [--sheets <n>] [--tz <IANA zone>] [--by <your name>]
  The paper crisis kit (PDF): the cell's contacts, the open tasks, the latest published situation
  report and <n> blank log sheets (default 5), as GET /api/incidents/<id>/kit.pdf prints it.`;

const KitArgsSchema = z.object({
  incident: IdSchema,
  out: z.string().min(1).optional(),
  lang: z.enum(['fr', 'en']),
  sheets: z.coerce.number().int().min(0).max(50),
  tz: z.string().refine(isTimeZone, 'unknown time zone'),
  by: PersonSchema,
});

export async function kitCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    out: { type: 'string', short: 'o' },
    lang: { type: 'string' },
    sheets: { type: 'string' },
    tz: { type: 'string' },
    by: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('kit takes exactly one incident id');
  const opts = check(KitArgsSchema, {
    incident: positionals[0],
    out: values.out,
    lang: values.lang ?? 'fr',
    sheets: values.sheets ?? 5,
    tz: values.tz ?? 'Europe/Paris',
    by: values.by ?? io.env.USER ?? os.userInfo().username,
  });
  if (!opts.out && io.stdout.isTTY) throw new UsageError('a PDF is binary: write it to a file with --out <file.pdf> (or pipe stdout)');
  const { store } = await openCliStore(io.env);
  try {
    if (!(await store.getIncident(opts.incident))) throw new AppError('NOT_FOUND', `no incident ${opts.incident}`);
    const accounts = await openAccountStore(store);
    const state = await stateAt(store, opts.incident, new Date());
    const members: KitMember[] = [];
    for (const m of await accounts.listMembers(opts.incident)) {
      const user = await accounts.getUser(m.userId);
      if (user) members.push({ name: user.displayName, email: user.email, role: m.role });
    }
    const output = openOutput(opts.out, io.cwd, io.stdout);
    try {
      await writeKitPdf({ incident: state.meta, members, tasks: state.tasks, latestReport: kitReportOf(state.reports, opts.lang), producedAt: new Date(), producedBy: opts.by, timeZone: opts.tz, lang: opts.lang, blankSheets: opts.sheets }, output.stream);
      await output.commit();
    } catch (err) {
      output.discard();
      throw err;
    }
    io.stderr.write(`paper kit → ${output.describe}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
