import path from 'node:path';
import type PDFKit from 'pdfkit';

/**
 * DejaVu (from the dejavu-fonts-ttf package) embedded in every PDF: the 14 standard PDF fonts
 * only cover WinAnsi, and crisis logs hold "œ", "’", "…", "—", arrows and names from anywhere.
 * pdfkit embeds only the glyphs used (subsetting), so files stay small.
 */
const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const PDF_FONTS = {
  sans: path.join(dir, 'DejaVuSans.ttf'),
  bold: path.join(dir, 'DejaVuSans-Bold.ttf'),
  mono: path.join(dir, 'DejaVuSansMono.ttf'),
} as const;

/** Registers the three embedded faces under the names every writer uses: 'sans', 'bold', 'mono'. */
export function registerPdfFonts(doc: PDFKit.PDFDocument): void {
  doc.registerFont('sans', PDF_FONTS.sans);
  doc.registerFont('bold', PDF_FONTS.bold);
  doc.registerFont('mono', PDF_FONTS.mono);
}

/** The whole PDF as one buffer, once the caller ends the document (for answers small enough to hold: drafts, a debrief). */
export function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
