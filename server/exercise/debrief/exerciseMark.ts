import type PDFKit from 'pdfkit';
import { type Lang, words } from '../../../shared/i18n';

/**
 * The exercise mark ("EXERCICE — NE PAS ENVOYER") at the top and the foot of a PDF page, drawn
 * in the margins (lifted while drawing, or pdfkit would start a new page). Kept here until the
 * exports share one helper; the words come from the debrief's label table.
 */
export function drawExerciseMark(doc: PDFKit.PDFDocument, lang: Lang, page: { width: number; height: number }, margin: { left: number; right: number; bottom: number }): void {
  const mark = words(lang).debrief.mark;
  const width = page.width - margin.left - margin.right;
  const saved = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc.save();
  doc.font('bold').fontSize(9).fillColor('#c62828');
  doc.text(mark, margin.left, 14, { width, align: 'center', lineBreak: false });
  doc.text(mark, margin.left, page.height - 16, { width, align: 'center', lineBreak: false });
  doc.restore();
  doc.page.margins.bottom = saved;
  doc.fillColor('black');
}
