import type PDFKit from 'pdfkit';

/**
 * Scripts that need no shaping: Latin, Greek, Cyrillic letters, punctuation, arrows, symbols.
 * No combining marks (U+0300–036F), no scripts whose letters join or reorder.
 */
// eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose: every Latin character is simple
const SIMPLE = /^[\u0000-\u02ff\u0370-\u03ff\u0400-\u0482\u048a-\u04ff\u2000-\u206f\u20a0-\u20cf\u2100-\u22ff\u2460-\u24ff\u25a0-\u27bf]*$/;

interface FontkitGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

interface EmbeddedFontInternals {
  scale: number;
  font: { glyphForCodePoint(cp: number): FontkitGlyph };
  layoutRun(text: string, features?: unknown): { glyphs: FontkitGlyph[]; positions: Array<Record<string, number>>; advanceWidth: number };
}

/**
 * Makes pdfkit lay out simple text (see SIMPLE) by mapping characters to glyphs directly,
 * instead of running fontkit's OpenType shaper for every word: that shaper is the largest
 * cost of a 100,000-event PDF, and for these scripts it only adds kerning. Text in any other
 * script (Arabic, Devanagari, combining accents, emoji sequences…) still goes through the full
 * shaper, so it renders right. The glyphs, their code points (for copy-paste and search) and
 * advances are the font's own.
 *
 * pdfkit has no public hook for this: its embedded fonts (`doc._font` after `doc.font(name)`)
 * lay out words through `layoutRun`. If that internal changes, the font is left as it is.
 */
export function useFastLayout(doc: PDFKit.PDFDocument, fontNames: readonly string[]): void {
  for (const name of fontNames) {
    doc.font(name);
    const font = (doc as unknown as { _font?: Partial<EmbeddedFontInternals> })._font;
    if (!font || typeof font.layoutRun !== 'function' || typeof font.scale !== 'number' || typeof font.font?.glyphForCodePoint !== 'function') continue;
    const shaped = font.layoutRun.bind(font);
    const fontkit = font.font;
    const scale = font.scale;
    font.layoutRun = (text: string, features?: unknown) => {
      if (features || !SIMPLE.test(text)) return shaped(text, features);
      const glyphs: FontkitGlyph[] = [];
      const positions: Array<Record<string, number>> = [];
      let advanceWidth = 0;
      for (const ch of text) {
        const glyph = fontkit.glyphForCodePoint(ch.codePointAt(0)!);
        const advance = glyph.advanceWidth * scale;
        glyphs.push(glyph);
        positions.push({ xAdvance: advance, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: advance });
        advanceWidth += advance;
      }
      return { glyphs, positions, advanceWidth };
    };
  }
}
