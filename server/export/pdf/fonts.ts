import path from 'node:path';

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
