import type { Writable } from 'node:stream';
import type { TimelineEvent } from '../../../shared/timeline/events';
import { describeEvent, eventText, kindLabel } from '../../../shared/timeline/describe';
import { authorLabel } from '../../../shared/timeline/authorLabel';
import { type Lang, words } from '../../../shared/i18n';
import type { DateFormatter } from '../../../shared/i18n/dates';
import { type ExportInput, exportDates, exportExerciseMark, exportLang, filterText, timesInLine } from '../exportInput';
import { markedTitle } from '../exerciseMark';
import { Sink } from '../sink';
import { neutraliseText } from '../neutralise';

/** Inline text that Markdown must show as typed: no emphasis, code, links, tables or HTML from user input, no control character, one line. */
export function mdEscape(s: string): string {
  return neutraliseText(s).replace(/([\\`*_[\]<>|~])/g, '\\$1').replace(/\n/g, ' ');
}

/** Multi-line user text under a list item: quoted, each line escaped (also what would start a heading or a list). */
function mdBlock(text: string): string {
  return neutraliseText(text)
    .split('\n')
    .map((l) => `  > ${mdEscape(l).replace(/^(\s*)([#+=-]|\d+[.)])/, '$1\\$2')}`)
    .join('\n');
}

/**
 * Markdown: the header as a list, then the events grouped by day (local time), one list item
 * each with time, author, kind and description, the full text quoted below, and the journal
 * record it comes from. Ends with the count and the integrity verdict. An exercise's carries its
 * mark at the top, in the title, in each day's heading and at the bottom.
 */
export async function writeMarkdown(input: ExportInput, out: Writable): Promise<void> {
  const sink = new Sink(out);
  const h = input.header;
  const lang = exportLang(h);
  const dates = exportDates(h);
  const w = words(lang);
  const L = w.exports;
  const fact = (label: string, value: string) => `- **${label}**${w.common.colon} ${value}`;
  // An exercise's (issue 17): the mark in the title, above and below everything, and in every day's heading.
  const mark = exportExerciseMark(h);
  const banner = mark ? [`> **${mark}**`, ''] : [];
  const lines = [
    ...banner,
    `# ${markedTitle(`${L.title} — ${mdEscape(h.incident.title)}`, mark)}`,
    '',
    `*${timesInLine(h)}*`,
    '',
    fact(L.incident, `${mdEscape(h.incident.title)} (\`${h.incident.id}\`, ${L.severity.toLowerCase()} ${w.enums.severity[h.incident.severity]}, ${w.enums.incidentStatus[h.incident.status]})`),
    fact(L.range, `${dates.dateTime(h.range.from)} → ${dates.dateTime(h.range.to)}`),
    fact(L.producedAt, `${dates.dateTime(h.producedAt)} (${h.producedAt})`),
    fact(L.producedBy, mdEscape(h.producedBy)),
    ...(h.audience === 'anonymised' ? [fact(L.audience, mdEscape(L.anonymised))] : []),
    fact(L.timeZone, dates.zone(h.producedAt)),
    fact(L.headRef, `\`${h.journal.headRef}\``),
    fact(L.heads, h.journal.heads.map((x) => `${x.part} #${x.seq} \`${x.hash}\``).join(' · ')),
    fact(L.filters, mdEscape(filterText(h.filter, h)) || L.none),
    ...(h.incident.detectedAt ? [fact(L.detection, dates.dateTime(h.incident.detectedAt))] : []),
    ...h.deadlines.map((d) => fact(mdEscape(d.label), `${dates.dateTime(d.due)} — ${mdEscape(d.basis)}`)),
    ...h.journal.legacySealed.map((s) => fact(L.legacy, `${s.part} #1 → #${s.throughSeq}, ${dates.dateTime(s.sealedAt)}`)),
    `- ${mdEscape(L.checkHowTo)}`,
    '',
  ];
  await sink.write(lines.join('\n') + '\n');
  let day = '';
  for await (const batch of input.events) {
    let text = '';
    for (const e of batch) {
      const d = dates.day(e.at);
      if (d !== day) {
        day = d;
        text += `\n## ${mark ? `${d} — ${mark}` : d}\n\n`;
      }
      text += item(e, dates, lang);
    }
    await sink.write(text);
  }
  const t = input.trailer();
  await sink.write(
    [
      '',
      '---',
      '',
      `**${L.events}**${w.common.colon} ${t.eventCount}`,
      '',
      t.integrity.intact ? `**${L.integrityOk}**` : `**${L.integrityBroken}**${w.common.colon}\n${t.integrity.problems.map((p) => `- ${mdEscape(p.message)}`).join('\n')}`,
      '',
      `${L.endOfDocument} — ${L.headRef} \`${h.journal.headRef}\``,
      '',
      ...banner,
    ].join('\n'),
  );
  await sink.end();
}

function item(e: TimelineEvent, dates: DateFormatter, lang: Lang): string {
  const declared = e.eventAt ? ` (${words(lang).exports.declared(dates.dateTime(e.eventAt))})` : '';
  const ref = e.ref ? ` \`${e.ref.part}#${e.ref.seq} ${e.ref.hash.slice(0, 12)}\`` : '';
  let s = `- **${dates.time(e.at)}**${declared} — ${mdEscape(authorLabel(e))} — *${kindLabel(e.kind, lang)}* — ${mdEscape(describeEvent(e, lang, dates.timeZone))}${ref}\n`;
  const body = eventText(e);
  if (body) s += mdBlock(body) + '\n';
  return s;
}
