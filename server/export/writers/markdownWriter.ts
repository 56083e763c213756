import type { Writable } from 'node:stream';
import type { TimelineEvent } from '../../../shared/timeline/events';
import { describeEvent, eventText } from '../../../shared/timeline/describe';
import { EXPORT_LABELS, KIND_LABELS, SEVERITY_LABELS } from '../../../shared/timeline/labels';
import { type ExportInput, LocalTime, filterText } from '../exportInput';
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
 * record it comes from. Ends with the count and the integrity verdict.
 */
export async function writeMarkdown(input: ExportInput, out: Writable): Promise<void> {
  const sink = new Sink(out);
  const local = new LocalTime(input.header.timeZone);
  const h = input.header;
  const lines = [
    `# ${EXPORT_LABELS.title} — ${mdEscape(h.incident.title)}`,
    '',
    `- **${EXPORT_LABELS.incident}** : ${mdEscape(h.incident.title)} (\`${h.incident.id}\`, gravité ${SEVERITY_LABELS[h.incident.severity]}, ${h.incident.status === 'open' ? 'ouvert' : 'clos'})`,
    `- **${EXPORT_LABELS.range}** : ${local.full(h.range.from)} → ${local.full(h.range.to)}`,
    `- **${EXPORT_LABELS.producedAt}** : ${local.full(h.producedAt)} (${h.producedAt})`,
    `- **${EXPORT_LABELS.producedBy}** : ${mdEscape(h.producedBy)}`,
    ...(h.audience === 'anonymised' ? [`- **${EXPORT_LABELS.audience}** : ${mdEscape(EXPORT_LABELS.anonymised)}`] : []),
    `- **${EXPORT_LABELS.timeZone}** : ${h.timeZone}`,
    `- **${EXPORT_LABELS.headRef}** : \`${h.journal.headRef}\``,
    `- **${EXPORT_LABELS.heads}** : ${h.journal.heads.map((x) => `${x.part} #${x.seq} \`${x.hash}\``).join(' · ')}`,
    `- **${EXPORT_LABELS.filters}** : ${mdEscape(filterText(h.filter)) || EXPORT_LABELS.none}`,
    ...(h.incident.detectedAt ? [`- **${EXPORT_LABELS.detection}** : ${local.full(h.incident.detectedAt)}`] : []),
    ...h.deadlines.map((d) => `- **${mdEscape(d.label)}** : ${local.full(d.due)} — ${mdEscape(d.basis)}`),
    ...h.journal.legacySealed.map((s) => `- **${EXPORT_LABELS.legacy}** : ${s.part} #1 → #${s.throughSeq}, ${local.full(s.sealedAt)}`),
    `- ${mdEscape(EXPORT_LABELS.checkHowTo)}`,
    '',
  ];
  await sink.write(lines.join('\n') + '\n');
  let day = '';
  for await (const batch of input.events) {
    let text = '';
    for (const e of batch) {
      const d = local.day(e.at);
      if (d !== day) {
        day = d;
        text += `\n## ${d}\n\n`;
      }
      text += item(e, local);
    }
    await sink.write(text);
  }
  const t = input.trailer();
  await sink.write(
    [
      '',
      '---',
      '',
      `**${EXPORT_LABELS.events}** : ${t.eventCount}`,
      '',
      t.integrity.intact ? `**${EXPORT_LABELS.integrityOk}**` : `**${EXPORT_LABELS.integrityBroken}** :\n${t.integrity.problems.map((p) => `- ${mdEscape(p.message)}`).join('\n')}`,
      '',
      `${EXPORT_LABELS.endOfDocument} — ${EXPORT_LABELS.headRef} \`${h.journal.headRef}\``,
      '',
    ].join('\n'),
  );
  await sink.end();
}

function item(e: TimelineEvent, local: LocalTime): string {
  const declared = e.eventAt ? ` (déclaré ${local.full(e.eventAt)})` : '';
  const ref = e.ref ? ` \`${e.ref.part}#${e.ref.seq} ${e.ref.hash.slice(0, 12)}\`` : '';
  let s = `- **${local.time(e.at)}**${declared} — ${mdEscape(e.author)} — *${KIND_LABELS[e.kind]}* — ${mdEscape(describeEvent(e))}${ref}\n`;
  const body = eventText(e);
  if (body) s += mdBlock(body) + '\n';
  return s;
}
