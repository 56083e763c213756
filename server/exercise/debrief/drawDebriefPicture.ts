import type PDFKit from 'pdfkit';
import { DEBRIEF_COLORS, type DebriefPicture } from '../../../shared/exercise/debriefPicture';
import { markPoints } from '../../../shared/timeline/picture/svg';

/** Draws the debrief picture's geometry (shared/exercise/debriefPicture.ts) with PDF vector operations at (left, top). */
export function drawDebriefPicture(doc: PDFKit.PDFDocument, g: DebriefPicture, left: number, top: number): void {
  doc.save();
  doc.translate(left, top);
  doc.font('bold').fontSize(8).fillColor('#c62828').text(g.mark, g.plot.x0, 4, { lineBreak: false });
  doc.font('sans').fontSize(7.5);
  for (const [i, lane] of g.lanes.entries()) {
    if (i % 2 === 0) doc.rect(g.plot.x0, lane.y, g.plot.x1 - g.plot.x0, lane.height).fill('#f4f6f8');
    doc.fillColor('#263238').text(`${lane.label} (${lane.count})`, 0, lane.y + lane.height / 2 - 4, { width: g.plot.x0 - 6, align: 'right', lineBreak: false });
  }
  doc.moveTo(g.plot.x0, g.plot.y1).lineTo(g.plot.x1, g.plot.y1).lineWidth(0.8).stroke('#455a64');
  for (const t of g.ticks) {
    doc.moveTo(t.x, g.plot.y0).lineTo(t.x, g.plot.y1 + 3).lineWidth(0.3).stroke('#cfd8dc');
    doc.fillColor('#455a64').fontSize(6.5).text(t.label, t.x - 30, g.plot.y1 + 6, { width: 60, align: 'center', lineBreak: false });
  }
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

function polygon(doc: PDFKit.PDFDocument, points: Array<[number, number]>): PDFKit.PDFDocument {
  const [first, ...rest] = points;
  doc.moveTo(first![0], first![1]);
  for (const [x, y] of rest) doc.lineTo(x, y);
  return doc.closePath();
}
