import type { IncidentRole } from '../../shared/auth/roles';
import type { TimelineEvent } from '../../shared/timeline/events';
import type { ExportHeader } from '../../shared/timeline/exportDocument';
import type { DescribeAuthors } from './authorNames';

/** A person an anonymised export must not name: an account, with their role in the incident (null: no longer a member). */
export interface AudiencePerson {
  id: string;
  name: string;
  email: string | null;
  role: IncidentRole | null;
}

/** The people of an incident, members first in the order they joined, then former members. */
export type IncidentRoster = (incidentId: string) => Promise<AudiencePerson[]>;

/** French, like the rest of the human-readable exports (shared/timeline/labels.ts). */
const ROLE_PSEUDONYM: Record<IncidentRole | 'none', string> = { director: 'Directeur', member: 'Membre', observer: 'Observateur', animator: 'Animateur', evaluator: 'Évaluateur', none: 'Personne' };
/** A word that belongs to several people (two Maries): replaced, but by no one's pseudonym. */
const AMBIGUOUS = '[personne]';
/** Name parts shorter than this are not searched alone in text ("Li", "Jo": too many false hits); full names and e-mails always are. */
const MIN_PART = 3;
/**
 * Never names, left as they are: journal references and hashes (an anonymised export is still
 * verified against the journal), and enumerations (a member called "Action" must not turn a
 * category into a pseudonym and the export invalid).
 */
const SKIP_KEYS = new Set(['ref', 'journal', 'kind', 'category', 'severity', 'verification', 'status', 'priority', 'role', 'previousRole', 'format', 'generator', 'timeZone', 'at', 'eventAt']);

/** Lower case, accents removed, with the index in the original of each folded unit. */
function fold(text: string): { folded: string; starts: number[]; ends: number[] } {
  let folded = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (let k = 0; k < f.length; k++) {
      starts.push(i);
      ends.push(i + ch.length);
    }
    folded += f;
    i += ch.length;
  }
  return { folded, starts, ends };
}

const foldOnly = (s: string) => fold(s).folded;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces people by role pseudonyms in an export: exact ids (author ids, member ids) and,
 * inside every string, their full names, e-mails, e-mail local parts and name parts, matched
 * case-insensitively and accent-insensitively as whole words. People not in the roster who
 * appear as authors (an administrator, a departed member) are learnt from the account names
 * batch by batch and become "Personne N".
 */
export class Anonymiser {
  private readonly pseudonymById = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  private readonly asked = new Set<string>();
  /** Folded pattern → pseudonym (or AMBIGUOUS), and whether it is someone's full name, e-mail or id. */
  private readonly patterns = new Map<string, { pseudonym: string; full: boolean }>();
  private regex: RegExp | null = null;

  constructor(
    people: AudiencePerson[],
    private readonly describe?: DescribeAuthors,
  ) {
    for (const p of people) this.add(p);
  }

  pseudonymOf(id: string): string | undefined {
    return this.pseudonymById.get(id);
  }

  add(person: AudiencePerson): string {
    const known = this.pseudonymById.get(person.id);
    if (known) return known;
    const word = ROLE_PSEUDONYM[person.role ?? 'none'];
    const n = (this.counters.get(word) ?? 0) + 1;
    this.counters.set(word, n);
    const pseudonym = `${word} ${n}`;
    this.pseudonymById.set(person.id, pseudonym);
    this.asked.add(person.id);
    const full = [person.id, person.name, ...(person.email ? [person.email] : [])];
    const parts = [...person.name.split(/[^\p{L}\p{N}]+/u), ...(person.email ? [person.email.split('@')[0]!, ...person.email.split('@')[0]!.split(/[^\p{L}\p{N}]+/u)] : [])];
    for (const s of full) this.pattern(foldOnly(s.trim()), pseudonym, true);
    for (const s of parts) if ([...s].length >= MIN_PART) this.pattern(foldOnly(s), pseudonym, false);
    this.regex = null;
    return pseudonym;
  }

  /** Learns the people behind ids not met yet (asks the accounts once per id). */
  async learn(ids: Iterable<string>): Promise<void> {
    if (!this.describe) return;
    const unknown = [...new Set(ids)].filter((id) => !this.asked.has(id));
    if (unknown.length === 0) return;
    for (const id of unknown) this.asked.add(id);
    const found = await this.describe(unknown);
    for (const id of unknown) {
      const who = found.get(id);
      if (who) this.add({ id, name: who.name, email: who.email ?? null, role: null });
    }
  }

  /** Every name, e-mail and id of a known person in `text`, replaced. */
  text(text: string): string {
    const exact = this.pseudonymById.get(text);
    if (exact) return exact;
    const re = this.compiled();
    if (!re) return text;
    const { folded, starts, ends } = fold(text);
    re.lastIndex = 0;
    let out = '';
    let from = 0;
    for (let m = re.exec(folded); m; m = re.exec(folded)) {
      const start = starts[m.index]!;
      const end = ends[m.index + m[0].length - 1]!;
      out += text.slice(from, start) + (this.patterns.get(m[0])?.pseudonym ?? AMBIGUOUS);
      from = end;
    }
    return from === 0 ? text : out + text.slice(from);
  }

  /** A copy of any JSON value with every string passed through `text` (journal references left as they are). */
  value<T>(v: T): T {
    if (typeof v === 'string') return this.text(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.value(x)) as T;
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = SKIP_KEYS.has(k) ? x : this.value(x);
      return out as T;
    }
    return v;
  }

  header(h: ExportHeader, producedById: string | null): ExportHeader {
    const by = producedById === null ? undefined : this.pseudonymById.get(producedById);
    return { ...this.value(h), producedBy: by ?? this.text(h.producedBy), audience: 'anonymised' };
  }

  async *events(stream: AsyncIterable<TimelineEvent[]>): AsyncGenerator<TimelineEvent[]> {
    for await (const batch of stream) {
      await this.learn(batch.flatMap((e) => (e.kind.startsWith('member.') ? [e.authorId, (e.data as { memberId: string }).memberId] : [e.authorId])));
      yield batch.map((e) => this.value(e));
    }
  }

  private pattern(folded: string, pseudonym: string, full: boolean): void {
    if (!folded) return;
    const current = this.patterns.get(folded);
    // A full name or e-mail wins over someone else's name part; two people sharing a part (or a name) make it ambiguous.
    if (current === undefined || current.pseudonym === pseudonym || (full && !current.full)) this.patterns.set(folded, { pseudonym, full: full || (current?.full ?? false) });
    else if (full === current.full) this.patterns.set(folded, { pseudonym: AMBIGUOUS, full });
  }

  private compiled(): RegExp | null {
    if (this.regex) return this.regex;
    if (this.patterns.size === 0) return null;
    // Longest first, so "marie curie" wins over "marie" at the same position; whole words only.
    const alternatives = [...this.patterns.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
    this.regex = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
    return this.regex;
  }
}
