import type PDFKit from 'pdfkit';
import { DEBRIEF_COLORS, type DebriefPicture } from '../../../shared/exercise/debriefPicture';
import { markPoints } from '../../../shared/timeline/picture/svg';
import { drawLanesAndAxis, polygon } from '../../export/pdf/drawPicture';

/** Draws the debrief picture's geometry (shared/exercise/debriefPicture.ts) with PDF vector operations at (left, top). */
export function drawDebriefPicture(doc: PDFKit.PDFDocument, g: DebriefPicture, left: number, top: number): void {
  doc.save();
  doc.translate(left, top);
  doc.font('bold').fontSize(8).fillColor('#c62828').text(g.mark, g.plot.x0, 4, { lineBreak: false });
  drawLanesAndAxis(doc, g, 60);
  for (const l of g.links) {
    doc.moveTo(l.x1, l.y1).lineTo(l.x2, l.y2).lineWidth(1).stroke(DEBRIEF_COLORS.link);
    doc.fillColor(DEBRIEF_COLORS.link).fontSize(6.5).text(l.label, l.labelX, l.labelY - 4, { lineBreak: false });
  }
  for (const m of g.marks) {
    if (m.shape === 'circle') doc.circle(m.x, m.y, 2.6);
    else polygon(doc, markPoints('diamond', m.x, m.y, 4.5));
    if (m.hollow) doc.lineWidth(1).stroke(m.color);
    else doc.fill(m.color);
  }
  doc.restore();
  doc.fillColor('black');
}
