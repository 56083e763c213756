import type PDFKit from 'pdfkit';

/**
 * Breaks text into lines that fit a width, measuring each distinct word once per font and size.
 * pdfkit's own wrapper lays out every word again for each measure and each draw (twice per
 * cell: height, then text); an event table is 100,000s of cells, and this halves the PDF's time.
 * Words are separated by spaces (as pdfkit's layout does); a word wider than the line is cut
 * between characters; line breaks in the text are kept.
 */
/** A line, with what pdfkit would otherwise measure again when drawing it. */
export interface Line {
  text: string;
  width: number;
  words: number;
}

export class LineBreaker {
  /** Widths of words per font and size. Bounded: distinct ids and hashes would grow it forever. */
  private readonly widths = new Map<string, Map<string, number>>();

  constructor(private readonly doc: PDFKit.PDFDocument) {}

  /** Width of `text` in `font` at `size`, which must be the document's current font and size. */
  width(font: string, size: number, text: string): number {
    const style = `${font}/${size}`;
    let cache = this.widths.get(style);
    if (!cache) this.widths.set(style, (cache = new Map()));
    let w = cache.get(text);
    if (w === undefined) {
      w = this.doc.widthOfString(text);
      if (cache.size > 50_000) cache.clear();
      cache.set(text, w);
    }
    return w;
  }

  /** The lines of `text` at `width`, in `font` at `size` (the document's current font is set to them). */
  lines(text: string, font: string, size: number, width: number): Line[] {
    this.doc.font(font).fontSize(size);
    const space = this.width(font, size, ' ');
    const out: Line[] = [];
    for (const paragraph of text.split(/\r?\n/)) {
      let line = '';
      let lineWidth = 0;
      let words = 0;
      const push = () => out.push({ text: line, width: lineWidth, words });
      for (const word of paragraph.split(' ')) {
        const w = this.width(font, size, word);
        if (line === '' && w <= width) {
          line = word;
          lineWidth = w;
          words = 1;
        } else if (lineWidth + space + w <= width) {
          line += ` ${word}`;
          lineWidth += space + w;
          words += 1;
        } else if (w <= width) {
          push();
          line = word;
          lineWidth = w;
          words = 1;
        } else {
          // A word wider than the line (a URL, a hash): cut it where it overflows.
          if (line !== '') push();
          line = '';
          lineWidth = 0;
          words = 1;
          for (const ch of word) {
            const cw = this.width(font, size, ch);
            if (lineWidth + cw > width && line !== '') {
              push();
              line = '';
              lineWidth = 0;
            }
            line += ch;
            lineWidth += cw;
          }
        }
      }
      push();
    }
    return out;
  }

  /**
   * Draws one line at (x, y), already measured. pdfkit's text() measures every line again just
   * to move its cursor, which is a third of the PDF's time on 100,000 events; its internal
   * `_fragment` (what text() calls per line, given the `textWidth` and `wordCount` its own
   * wrapper passes) draws without measuring. Used when present; text() otherwise.
   */
  draw(line: Line, x: number, y: number): void {
    const options = { lineBreak: false, textWidth: line.width, wordCount: line.words };
    const fragment = (this.doc as unknown as { _fragment?: (text: string, x: number, y: number, options: object) => void })._fragment;
    if (typeof fragment === 'function' && line.text !== '') fragment.call(this.doc, line.text, x, y, options);
    else this.doc.text(line.text, x, y, options as PDFKit.Mixins.TextOptions);
  }

  /** A single line of short text (a time, an id): its width is only used to underline, so it is not measured. */
  drawShort(text: string, font: string, size: number, x: number, y: number): void {
    this.doc.font(font).fontSize(size);
    this.draw({ text, width: 0, words: 1 }, x, y);
  }
}
