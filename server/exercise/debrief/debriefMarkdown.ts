import { type Debrief, type DebriefInject, type DebriefObservation, delayText, exerciseClockText } from '../../../shared/exercise/debrief';
import { type Lang, words } from '../../../shared/i18n';
import { type DateFormatter, dateFormatter } from '../../../shared/i18n/dates';
import { mdEscape } from '../../export/writers/markdownWriter';
import { neutraliseText } from '../../export/neutralise';

/** Multi-line user text, quoted, each line escaped. */
function quote(text: string): string {
  return neutraliseText(text)
    .split('\n')
    .map((l) => `> ${mdEscape(l).replace(/^(\s*)([#+=-]|\d+[.)])/, '$1\\$2')}`)
    .join('\n');
}

const when = (at: string, seconds: number | null, dates: DateFormatter) => `${seconds === null ? '' : `${exerciseClockText(seconds)} — `}${dates.dateTime(at)}`;

function observationLine(o: DebriefObservation, dates: DateFormatter): string {
  return `- ${exerciseClockText(o.exerciseSeconds)} (${dates.dateTime(o.at)}) — **${mdEscape(o.author)}**: ${mdEscape(o.text)}`;
}

function injectSection(i: DebriefInject, lang: Lang, dates: DateFormatter): string[] {
  const w = words(lang).debrief;
  const colon = words(lang).common.colon;
  const status = `${w.status[i.status]}${i.improvised ? `, ${w.improvised}` : ''}`;
  const lines = [`### ${exerciseClockText(i.firedAtExerciseSeconds ?? i.offsetSeconds)} — ${mdEscape(i.id)} (${status})`, ''];
  lines.push(`- ${w.offset}${colon} ${exerciseClockText(i.offsetSeconds)}`);
  lines.push(`- ${w.firedAt}${colon} ${i.firedAt ? when(i.firedAt, i.firedAtExerciseSeconds, dates) : w.notFired}`);
  lines.push(`- ${w.channel}${colon} ${w.channels[i.channel]} — ${w.from}${colon} ${mdEscape(i.from)} — ${w.to}${colon} ${i.to ? mdEscape(i.toLabel ?? i.to) : w.wholeCell}`);
  lines.push(`- ${w.text}${colon}`, '', quote(i.text), '');
  lines.push(`- ${w.expected}${colon}`, '', quote(i.expected || '—'), '');
  const r = i.reaction;
  if (r) {
    lines.push(`- **${w.firstReaction}**${colon} ${w.reactionBy(w.reactionKind[r.kind], `**${mdEscape(r.author)}**`)}, ${when(r.at, r.exerciseSeconds, dates)}, ${w.delay(r.delayExerciseSeconds === null ? '—' : delayText(r.delayExerciseSeconds), delayText(r.delaySeconds))}`, '', quote(r.text), '');
  } else if (i.status === 'fired') lines.push(`- **${w.firstReaction}**${colon} ${w.noReaction}`);
  if (i.observations.length > 0) lines.push(`- ${w.observations}${colon}`, ...i.observations.map((o) => `  ${observationLine(o, dates)}`));
  lines.push('');
  return lines;
}

/** The debrief as Markdown: the exercise mark first and last, the facts, each inject with its first reaction, observations, decisions, reports. */
export function debriefMarkdown(d: Debrief): string {
  const lang = d.lang;
  const w = words(lang).debrief;
  const mark = words(lang).exerciseMark.mark;
  const colon = words(lang).common.colon;
  const dates = dateFormatter(lang, d.timeZone);
  const lines = [`**${mark}**`, '', `# ${w.title} — ${mdEscape(d.incident.title)}`, ''];
  lines.push(
    `- ${w.scenario}${colon} ${mdEscape(d.scenarioId)} (${w.exerciseLanguage} ${d.exerciseLanguage})`,
    `- ${w.startedAt}${colon} ${d.clock.startedAt ? dates.dateTime(d.clock.startedAt) : w.notStarted} — ${w.speed}${colon} ×${d.clock.factor} — ${w.plannedDuration}${colon} ${delayText(d.clock.durationMinutes * 60)}`,
    `- ${w.exerciseTimeNow}${colon} ${exerciseClockText(d.clock.exerciseSeconds)}`,
    `- ${w.producedAt}${colon} ${dates.dateTime(d.producedAt)} — ${w.producedBy}${colon} ${mdEscape(d.producedBy)}`,
    `- ${w.audience}${colon} ${d.audience === 'anonymised' ? w.anonymised : w.nominative}`,
    `- ${w.journalHead}${colon} \`${d.journalHeadRef}\``,
    '',
    `## ${w.injects}`,
    '',
  );
  for (const i of d.injects) lines.push(...injectSection(i, lang, dates));
  lines.push(`## ${w.generalObservations}`, '', ...(d.observations.length ? d.observations.map((o) => observationLine(o, dates)) : [`- ${w.none}`]), '');
  lines.push(`## ${w.decisions}`, '');
  lines.push(...(d.decisions.length ? d.decisions.map((x) => `- ${when(x.at, x.exerciseSeconds, dates)} — **${mdEscape(x.title)}** (${words(lang).enums.decision[x.status]}) — ${mdEscape(x.author)}${x.statement ? `: ${mdEscape(x.statement)}` : ''}`) : [`- ${w.none}`]), '');
  lines.push(`## ${w.reports}`, '');
  lines.push(...(d.reports.length ? d.reports.map((r) => `- ${when(r.at, r.exerciseSeconds, dates)} — **${w.reportNumber(r.number)}** — ${mdEscape(r.publishedBy)}${r.conditions ? `: ${mdEscape(r.conditions)}` : ''}`) : [`- ${w.none}`]), '');
  lines.push(`**${mark}**`, '');
  return lines.join('\n');
}
