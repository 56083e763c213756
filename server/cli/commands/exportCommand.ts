import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { IdSchema, PersonSchema } from '../../../shared/model/common';
import { TimelineFilterQuerySchema } from '../../../shared/timeline/filter';
import { EXPORT_FORMATS, ExportFormatSchema } from '../../../shared/timeline/exportDocument';
import { ExportAudienceSchema } from '../../../shared/timeline/audience';
import { isTimeZone } from '../../export/exportInput';
import { DEFAULT_LANG, DEFAULT_TIME_ZONE, LangSchema } from '../../../shared/i18n/lang';
import { openCliTimeline } from '../../app/timeline';
import { check, parseCommandArgs } from '../args';
import { type CliIo, EXIT, UsageError } from '../io';
import { openCliStore } from '../openCliStore';
import { openOutput } from '../output';
import { ProgressBar } from '../progress';

export const EXPORT_HELP = `crisis-cell export <incident> [--format ${EXPORT_FORMATS.join('|')}] [--out <file>]
    [--from <ISO time>] [--to <ISO time>] [--kinds <kind|group,...>] [--categories <c,...>]
    [--authors <name,...>] [--key-only] [--by <your name>] [--tz <IANA zone>] [--lang fr|en] [--delimiter semicolon|comma]
    [--audience nominative|anonymised]
  Writes the incident's timeline, replayed from the journal. The format defaults to the --out
  file's extension, else json. --audience anonymised replaces every person (authors, assignees,
  names and e-mails inside text) by a role pseudonym, for the lessons-learned review. Without --out,
  writes to stdout. --key-only keeps the short version (key entries and their verification
  changes). --by names who produced it
  (default: your login name). --lang and --tz choose the language of the words and the zone of
  the times of the human-readable formats (default fr, Europe/Paris); JSON and CSV columns keep
  English identifiers and UTC times. A progress bar shows on a terminal for large incidents.`;

const ExportArgsSchema = z.object({
  incident: IdSchema,
  format: ExportFormatSchema.optional(),
  out: z.string().min(1).optional(),
  by: PersonSchema,
  tz: z.string().refine(isTimeZone, 'unknown time zone'),
  lang: LangSchema,
  delimiter: z.enum(['semicolon', 'comma']),
  audience: ExportAudienceSchema,
});

export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    format: { type: 'string', short: 'f' },
    out: { type: 'string', short: 'o' },
    from: { type: 'string' },
    to: { type: 'string' },
    kinds: { type: 'string' },
    categories: { type: 'string' },
    authors: { type: 'string' },
    'key-only': { type: 'boolean' },
    by: { type: 'string' },
    tz: { type: 'string' },
    lang: { type: 'string' },
    delimiter: { type: 'string' },
    audience: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('export takes exactly one incident id');
  const out = values.out as string | undefined;
  const inferred = out ? path.extname(out).slice(1).toLowerCase() : '';
  const opts = check(ExportArgsSchema, {
    incident: positionals[0],
    format: values.format ?? ((EXPORT_FORMATS as readonly string[]).includes(inferred) ? inferred : undefined),
    out,
    by: values.by ?? io.env.USER ?? os.userInfo().username,
    tz: values.tz ?? DEFAULT_TIME_ZONE,
    lang: values.lang ?? DEFAULT_LANG,
    delimiter: values.delimiter ?? 'semicolon',
    audience: values.audience ?? 'nominative',
  });
  const format = opts.format ?? 'json';
  const filter = check(TimelineFilterQuerySchema, { from: values.from, to: values.to, kinds: values.kinds, categories: values.categories, authors: values.authors, keyOnly: values['key-only'] === true ? 'true' : undefined });
  if ((format === 'pdf') && !opts.out && io.stdout.isTTY) throw new UsageError('a PDF is binary: write it to a file with --out <file.pdf> (or pipe stdout)');

  const { store } = await openCliStore(io.env);
  const bar = new ProgressBar(io.stderr);
  try {
    const timeline = await openCliTimeline(store);
    const prepared = await timeline.prepareExport(
      { incidentId: opts.incident, format, filter, producedBy: opts.by, timeZone: opts.tz, lang: opts.lang, csvDelimiter: opts.delimiter === 'comma' ? ',' : ';', audience: opts.audience },
      { onReplay: (done, total) => bar.update('journal', done, total), onRender: (done, total) => bar.update(format, done, total) },
    );
    const output = openOutput(opts.out, io.cwd, io.stdout);
    const started = Date.now();
    try {
      const trailer = await prepared.write(output.stream);
      await output.commit();
      bar.finish();
      const verdict = trailer.integrity.intact ? 'journal chain intact' : `JOURNAL CHAIN BROKEN: ${trailer.integrity.problems.map((p) => p.message).join('; ')}`;
      io.stderr.write(`${trailer.eventCount} events → ${output.describe} (${format}, ${((Date.now() - started) / 1000).toFixed(1)} s). Journal head ${prepared.header.journal.headRef}. ${verdict}.\n`);
      return trailer.integrity.intact ? EXIT.ok : EXIT.failed;
    } catch (err) {
      output.discard();
      throw err;
    }
  } finally {
    bar.finish();
    await store.close();
  }
}
