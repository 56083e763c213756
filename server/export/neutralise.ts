/**
 * Control characters in what people typed, made harmless in every export (issue 13): the one
 * home of the rule, used by every writer (timeline formats, situation reports and their
 * drafts, regulatory drafts).
 *
 * - Line breaks of every convention (CRLF, a lone CR, NEL U+0085, the separators U+2028/2029)
 *   become LF, the only one the writers handle: a lone CR that a Markdown renderer honours, but
 *   the writer did not see, could otherwise start a forged heading or entry.
 * - Other C0 controls (TAB and LF excepted), DEL, C1 controls, and the bidirectional
 *   embeddings, overrides and isolates (U+202A–202E, U+2066–2069), which can hide or reorder
 *   text ("fichier gnp.exe" shown for "fichier exe.png"), are shown as `<U+XXXX>`: visible,
 *   and the evidence keeps which character was there.
 *
 * JSON keeps the data exactly: `escapeJsonControls` only writes the same characters as \u
 * escapes in the serialised text.
 */

const LINE_BREAKS = /\r\n?|[\u0085\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's job
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
/** What JSON.stringify leaves raw among the above (it escapes C0 itself). */
const JSON_RAW = /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

const hex = (c: string) => c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');

export function neutraliseText(s: string): string {
  return s.replace(LINE_BREAKS, '\n').replace(CONTROLS, (c) => `<U+${hex(c)}>`);
}

/** Every string inside `value` (objects and arrays, as parsed from JSON or built of plain data) neutralised; the rest unchanged. */
export function neutraliseStrings<T>(value: T): T {
  return deep(value) as T;
}

function deep(value: unknown): unknown {
  if (typeof value === 'string') return neutraliseText(value);
  if (Array.isArray(value)) return value.map(deep);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deep(v);
    return out;
  }
  return value;
}

/** Serialised JSON with the controls JSON.stringify leaves raw written as \u escapes: same data, nothing hidden in the text. */
export function escapeJsonControls(json: string): string {
  return json.replace(JSON_RAW, (c) => `\\u${hex(c).toLowerCase()}`);
}
