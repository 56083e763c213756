import PDFDocument from 'pdfkit';
import { PDF_FONTS } from '../../server/export/pdf/fonts';
import { useFastLayout } from '../../server/export/pdf/fastLayout';
import { LineBreaker } from '../../server/export/pdf/lineBreaker';
import { trimLayoutCaches } from '../../server/export/pdf/pdfWriter';

/**
 * The PDF export reaches into pdfkit's internals in three places, each falling back silently to
 * pdfkit's own (slower, or memory-hungry) path when the internal is gone. These tests observe
 * each patch taking effect, so a pdfkit upgrade that bypasses one fails here instead of
 * silently making 100,000-event exports slow or huge:
 * - fastLayout.ts replaces the embedded font's `layoutRun` (no OpenType shaper for simple scripts);
 * - lineBreaker.ts draws measured lines with `_fragment` (no second measure);
 * - pdfWriter.ts empties the fonts' `layoutCache` in `_fontFamilies` (flat memory).
 */

interface FontkitFont {
  layout(text: string, features?: unknown): unknown;
  glyphForCodePoint(cp: number): { advanceWidth: number };
  unitsPerEm: number;
}

interface EmbeddedFont {
  font: FontkitFont;
  layoutCache?: Record<string, unknown>;
  layoutRun: unknown;
}

function newDoc(): PDFKit.PDFDocument {
  const doc = new PDFDocument({ compress: false, autoFirstPage: false, size: 'A4' });
  doc.registerFont('sans', PDF_FONTS.sans);
  doc.registerFont('bold', PDF_FONTS.bold);
  doc.addPage();
  return doc;
}

/** The embedded font pdfkit uses for `name` (its private `_font` after `doc.font(name)`). */
function fontOf(doc: PDFKit.PDFDocument, name: string): EmbeddedFont {
  doc.font(name);
  const font = (doc as unknown as { _font?: EmbeddedFont })._font;
  if (!font) throw new Error('pdfkit has no _font any more: see server/export/pdf/fastLayout.ts');
  return font;
}

/** The text drawn so far on the current page, as pdfkit wrote its content stream (uncompressed). */
function pageContent(doc: PDFKit.PDFDocument): string {
  const content = (doc as unknown as { page: { content: { buffer: Buffer[] } } }).page.content;
  return Buffer.concat(content.buffer.map((b) => Buffer.from(b))).toString('latin1');
}

/** The width of `text` at `size` as the font's own glyph advances add up, without kerning. */
function advancesOf(font: FontkitFont, text: string, size: number): number {
  let units = 0;
  for (const ch of text) units += font.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth;
  return (units * 1000) / font.unitsPerEm * (size / 1000);
}

describe('fastLayout: simple scripts skip the OpenType shaper', () => {
  // "AV" is kerned by DejaVu's shaper: the fast layout does not kern, so the widths tell which ran.
  const KERNED = 'AVAVAV WAVE';

  test('the shaper is the slow path the patch avoids: without it, the kerned width differs from the plain advances', () => {
    const plain = newDoc();
    plain.font('sans').fontSize(12);
    const font = fontOf(plain, 'sans');
    expect(plain.widthOfString(KERNED)).not.toBeCloseTo(advancesOf(font.font, KERNED, 12), 3);
  });

  test('after useFastLayout, the font lays out Latin text from its glyph advances, and never calls the shaper for it', () => {
    const doc = newDoc();
    useFastLayout(doc, ['sans', 'bold']);
    const font = fontOf(doc, 'sans');
    // The replacement is the font's own property, not pdfkit's method.
    expect(Object.prototype.hasOwnProperty.call(font, 'layoutRun')).toBe(true);
    const shaper = jest.spyOn(font.font, 'layout');
    doc.font('sans').fontSize(12);
    expect(doc.widthOfString(KERNED)).toBeCloseTo(advancesOf(font.font, KERNED, 12), 6);
    doc.text('Chiffrement des serveurs « PACS » — œuvre…', 50, 50, { lineBreak: false });
    expect(shaper).not.toHaveBeenCalled();
    // What was drawn carries no kerning adjustment between A and V.
    doc.text('AV', 50, 80, { lineBreak: false });
    expect(pageContent(doc)).toMatch(/\[<[0-9a-f]{8}> 0\] TJ/);
    shaper.mockRestore();
  });

  test('text in a script that needs shaping still goes through the shaper', () => {
    const doc = newDoc();
    useFastLayout(doc, ['sans']);
    const font = fontOf(doc, 'sans');
    const shaper = jest.spyOn(font.font, 'layout');
    doc.font('sans').fontSize(12);
    doc.widthOfString('مرحبا');
    doc.widthOfString('e\u0301');
    expect(shaper).toHaveBeenCalledTimes(2);
    shaper.mockRestore();
  });

  test('every font named is patched: the bold one too', () => {
    const doc = newDoc();
    useFastLayout(doc, ['sans', 'bold']);
    const bold = fontOf(doc, 'bold');
    const shaper = jest.spyOn(bold.font, 'layout');
    doc.font('bold').fontSize(10);
    expect(doc.widthOfString(KERNED)).toBeCloseTo(advancesOf(bold.font, KERNED, 10), 6);
    expect(shaper).not.toHaveBeenCalled();
    shaper.mockRestore();
  });
});

describe('LineBreaker.draw: a measured line is drawn without being measured again', () => {
  test('draw calls pdfkit\'s _fragment, measures nothing, and writes the same page as text() would', () => {
    const text = 'Standard saturé, renfort de deux agents demandé';
    const viaText = newDoc();
    viaText.font('sans').fontSize(9);
    viaText.text(text, 40, 100, { lineBreak: false });

    const doc = newDoc();
    const breaker = new LineBreaker(doc);
    const [line] = breaker.lines(text, 'sans', 9, 1_000);
    expect(line).toMatchObject({ text, words: 7 });
    const fragment = jest.spyOn(doc as unknown as { _fragment: (...args: unknown[]) => void }, '_fragment');
    const measure = jest.spyOn(doc, 'widthOfString');
    const viaTextCall = jest.spyOn(doc, 'text');
    breaker.draw(line!, 40, 100);
    expect(fragment).toHaveBeenCalledTimes(1);
    expect(fragment).toHaveBeenCalledWith(text, 40, 100, expect.objectContaining({ textWidth: line!.width, wordCount: 7 }));
    expect(viaTextCall).not.toHaveBeenCalled();
    expect(measure).not.toHaveBeenCalled();
    expect(pageContent(doc)).toBe(pageContent(viaText));
  });

  test('the fallback, text(), measures: the patch is what saves the measure', () => {
    const doc = newDoc();
    doc.font('sans').fontSize(9);
    const measure = jest.spyOn(doc, 'widthOfString');
    doc.text('Standard saturé', 40, 100, { lineBreak: false });
    expect(measure).toHaveBeenCalled();
  });
});

describe('trimLayoutCaches: the fonts\' word layout caches are emptied', () => {
  test('pdfkit caches each word laid out in the font\'s layoutCache, reached through _fontFamilies; trimming empties it, and pdfkit fills the new one', () => {
    const doc = newDoc();
    doc.font('sans').fontSize(9);
    doc.widthOfString('hash-0123456789abcdef autre');
    const families = (doc as unknown as { _fontFamilies?: Record<string, EmbeddedFont> })._fontFamilies;
    expect(families).toBeDefined();
    const sans = Object.values(families!).find((f) => f === fontOf(doc, 'sans'));
    expect(sans).toBeDefined();
    expect(Object.keys(sans!.layoutCache!)).toEqual(expect.arrayContaining(['hash-0123456789abcdef ', 'autre']));

    trimLayoutCaches(doc);
    expect(Object.keys(sans!.layoutCache!)).toEqual([]);
    doc.font('sans').widthOfString('suivant');
    expect(Object.keys(sans!.layoutCache!)).toEqual(['suivant']);
  });
});
