import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { IdSchema, PersonSchema } from '../../../shared/model/common';
import { DEBRIEF_FORMATS, DebriefFormatSchema } from '../../../shared/exercise/debrief';
import { ExportAudienceSchema } from '../../../shared/timeline/audience';
import { DEFAULT_TIME_ZONE, LangSchema } from '../../../shared/i18n/lang';
import { isTimeZone } from '../../export/exportInput';
import { openCliDebrief } from '../../app/timeline';
import { renderDebrief } from '../../exercise/debrief/debriefFormats';
import { check, parseCommandArgs } from '../args';
import { type CliIo, EXIT, UsageError } from '../io';
import { openCliStore } from '../openCliStore';
import { openOutput } from '../output';

export const DEBRIEF_HELP = `crisis-cell debrief <incident> [--format ${DEBRIEF_FORMATS.join('|')}] [--out <file>]
    [--anonymised | --audience nominative|anonymised] [--lang fr|en] [--tz <IANA zone>] [--by <your name>]
  Writes an exercise's debrief (RETEX): each inject beside the cell's first reaction to it
  (a log entry answering it, a task linking it, a decision based on it) and the delay, the
  expected reaction, the evaluators' observations, the decisions and published reports; svg is
  the swimlanes picture alone. The format defaults to the --out file's extension, else md.
  --lang defaults to the language the exercise was played in. A real incident is refused
  (NOT_AN_EXERCISE).`;

const DebriefArgsSchema = z.object({
  incident: IdSchema,
  format: DebriefFormatSchema,
  out: z.string().min(1).optional(),
  by: PersonSchema,
  tz: z.string().refine(isTimeZone, 'unknown time zone'),
  lang: LangSchema.optional(),
  audience: ExportAudienceSchema,
});

export async function debriefCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    format: { type: 'string', short: 'f' },
    out: { type: 'string', short: 'o' },
    anonymised: { type: 'boolean' },
    audience: { type: 'string' },
    lang: { type: 'string' },
    tz: { type: 'string' },
    by: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('debrief takes exactly one incident id');
  if (values.anonymised === true && values.audience !== undefined && values.audience !== 'anonymised') throw new UsageError('--anonymised contradicts --audience');
  const out = values.out as string | undefined;
  const inferred = out ? path.extname(out).slice(1).toLowerCase() : '';
  const opts = check(DebriefArgsSchema, {
    incident: positionals[0],
    format: values.format ?? ((DEBRIEF_FORMATS as readonly string[]).includes(inferred) ? inferred : 'md'),
    out,
    by: values.by ?? io.env.USER ?? os.userInfo().username,
    tz: values.tz ?? DEFAULT_TIME_ZONE,
    lang: values.lang,
    audience: values.anonymised === true ? 'anonymised' : (values.audience ?? 'nominative'),
  });
  if (opts.format === 'pdf' && !opts.out && io.stdout.isTTY) throw new UsageError('a PDF is binary: write it to a file with --out <file.pdf> (or pipe stdout)');

  const { store, config } = await openCliStore(io.env);
  try {
    const debrief = await (await openCliDebrief(store, config.scenariosDir)).build({ incidentId: opts.incident, lang: opts.lang, timeZone: opts.tz, audience: opts.audience, producedBy: opts.by });
    const rendered = await renderDebrief(debrief, opts.format);
    const output = openOutput(opts.out, io.cwd, io.stdout);
    try {
      output.stream.end(rendered.body);
      await output.commit();
    } catch (err) {
      output.discard();
      throw err;
    }
    const answered = debrief.injects.filter((i) => i.reaction).length;
    const fired = debrief.injects.filter((i) => i.status === 'fired').length;
    io.stderr.write(`${debrief.injects.length} injects (${fired} fired, ${answered} with a reaction) → ${output.describe} (${opts.format}). Journal head ${debrief.journalHeadRef}.\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
