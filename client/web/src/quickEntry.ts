import type { Severity } from '../../../shared/model/common';
import type { LogCategory } from '../../../shared/model/log';

/**
 * The quick-entry grammar of the log: optional prefixes at the start of the line, in any
 * order, then the text. Fast to type at 3 a.m. without leaving the keyboard:
 *
 *   #alerte !! @DSI ~03:10 * Serveurs PACS chiffrés
 *
 * - `#alerte` `#action` `#decision` `#info` `#com` (French or English, or a prefix of them): category;
 *   any other `#word` is a tag
 * - `!` `!!` `!!!` (medium, high, critical) or `!1`..`!4`: severity
 * - `@DSI` or `@"Direction des soins"` (or `@Direction_des_soins`): source
 * - `~03:10`, `~3h10`, `~03`: when it happened (today, or yesterday if that is still ahead)
 * - `*`: key fact
 */
export interface ParsedEntry {
  text: string;
  category?: LogCategory;
  severity?: Severity;
  source?: string;
  eventTime?: { hours: number; minutes: number };
  key?: boolean;
  tags: string[];
  /** Whether a `~time` prefix was typed but could not be read. */
  badTime: boolean;
}

const CATEGORY_ALIASES: Array<[LogCategory, string[]]> = [
  ['alert', ['alerte', 'alert']],
  ['action', ['action', 'act']],
  ['decision', ['decision', 'décision', 'dec', 'déc']],
  ['information', ['information', 'info', 'i']],
  ['communication', ['communication', 'com', 'comm']],
];

export function categoryFromWord(word: string): LogCategory | undefined {
  const w = word.toLowerCase();
  if (w.length === 0) return undefined;
  for (const [category, aliases] of CATEGORY_ALIASES) if (aliases.includes(w)) return category;
  // A prefix of at least 3 letters that names one category only.
  if (w.length >= 3) {
    const hits = CATEGORY_ALIASES.filter(([, aliases]) => aliases.some((a) => a.startsWith(w)));
    if (hits.length === 1) return hits[0]![0];
  }
  return undefined;
}

const SEVERITY_BY_BANGS: Record<number, Severity> = { 1: 'medium', 2: 'high', 3: 'critical' };
const SEVERITY_BY_DIGIT: Record<string, Severity> = { '1': 'low', '2': 'medium', '3': 'high', '4': 'critical' };

export function parseTime(raw: string): { hours: number; minutes: number } | null {
  const m = /^(\d{1,2})(?:[:hH.](\d{2})?)?$/.exec(raw);
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = m[2] === undefined ? 0 : Number(m[2]);
  if (hours > 23 || minutes > 59) return null;
  return { hours, minutes };
}

export function parseQuickEntry(line: string): ParsedEntry {
  const out: ParsedEntry = { text: '', tags: [], badTime: false };
  let rest = line.replace(/^\s+/, '');
  for (;;) {
    const quoted = /^@"([^"]*)"(?:\s+|$)/.exec(rest);
    if (quoted) {
      const source = quoted[1]!.trim();
      if (source) out.source = source;
      rest = rest.slice(quoted[0].length);
      continue;
    }
    const m = /^(\S+)(?:\s+|$)/.exec(rest);
    if (!m) break;
    const token = m[1]!;
    let used = true;
    if (/^#[\p{L}\p{N}_-]+$/u.test(token)) {
      const word = token.slice(1);
      const category = categoryFromWord(word);
      if (category && out.category === undefined) out.category = category;
      else if (!category && out.tags.length < 30) out.tags.push(word.slice(0, 60));
      else used = false;
    } else if (/^!{1,3}$/.test(token)) {
      out.severity = SEVERITY_BY_BANGS[token.length];
    } else if (/^![1-4]$/.test(token)) {
      out.severity = SEVERITY_BY_DIGIT[token[1]!];
    } else if (/^@\S+$/.test(token) && token.length > 1) {
      out.source = token.slice(1).replace(/_/g, ' ').slice(0, 200);
    } else if (/^~\S*$/.test(token)) {
      const time = parseTime(token.slice(1));
      if (time) out.eventTime = time;
      else out.badTime = true;
    } else if (token === '*') {
      out.key = true;
    } else {
      used = false;
    }
    if (!used) break;
    rest = rest.slice(m[0].length);
  }
  out.text = rest.trim();
  return out;
}

/** The moment of hh:mm on the local clock: today, or yesterday when today's would be more than 5 minutes ahead. */
export function resolveEventTime(time: { hours: number; minutes: number }, now: Date): Date {
  const d = new Date(now.getTime());
  d.setHours(time.hours, time.minutes, 0, 0);
  if (d.getTime() - now.getTime() > 5 * 60_000) d.setDate(d.getDate() - 1);
  return d;
}

/** A due time typed as hh:mm: today, or tomorrow when already past by more than 12 hours. */
export function resolveDueTime(time: { hours: number; minutes: number }, now: Date): Date {
  const d = new Date(now.getTime());
  d.setHours(time.hours, time.minutes, 0, 0);
  if (now.getTime() - d.getTime() > 12 * 3600_000) d.setDate(d.getDate() + 1);
  return d;
}
