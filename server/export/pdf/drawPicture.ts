import type PDFKit from 'pdfkit';
import type { PictureGeometry } from '../../../shared/timeline/picture/geometry';
import { MARK_COLORS } from '../../../shared/timeline/picture/collector';
import { markPoints, pictureLegend } from '../../../shared/timeline/picture/svg';
import type { Lang } from '../../../shared/i18n';

/** What every picture of the timeline's lanes has: lanes, a plot area, ticks on the time axis. */
export interface LanesAndAxis {
  lanes: ReadonlyArray<{ y: number; height: number; label: string; count: number }>;
  plot: { x0: number; x1: number; y0: number; y1: number };
  ticks: ReadonlyArray<{ x: number; label: string; major?: boolean }>;
}

/** The lanes (every other one shaded, labelled with its count), the time axis and its ticks: the timeline's picture and the debrief's draw them alike. */
export function drawLanesAndAxis(doc: PDFKit.PDFDocument, g: LanesAndAxis, tickLabelWidth: number): void {
  doc.font('sans').fontSize(7.5);
  for (const [i, lane] of g.lanes.entries()) {
    if (i % 2 === 0) doc.rect(g.plot.x0, lane.y, g.plot.x1 - g.plot.x0, lane.height).fill('#f4f6f8');
    doc.fillColor('#263238').text(`${lane.label} (${lane.count})`, 0, lane.y + lane.height / 2 - 4, { width: g.plot.x0 - 6, align: 'right', lineBreak: false });
  }
  doc.moveTo(g.plot.x0, g.plot.y1).lineTo(g.plot.x1, g.plot.y1).lineWidth(0.8).stroke('#455a64');
  for (const t of g.ticks) {
    doc.moveTo(t.x, g.plot.y0).lineTo(t.x, g.plot.y1 + 3).lineWidth(t.major ? 0.7 : 0.3).stroke(t.major ? '#90a4ae' : '#cfd8dc');
    doc.fillColor('#455a64').fontSize(6.5).text(t.label, t.x - tickLabelWidth / 2, g.plot.y1 + 6, { width: tickLabelWidth, align: 'center', lineBreak: false });
  }
}

/** Draws the shared picture geometry with PDF vector operations at (left, top); returns its height with the legend. */
export function drawPicture(doc: PDFKit.PDFDocument, g: PictureGeometry, left: number, top: number, lang: Lang): number {
  doc.save();
  doc.translate(left, top);
  drawLanesAndAxis(doc, g, 80);
  // All density bars as one path: one fill operation whatever their number.
  for (const b of g.bars) doc.rect(b.x, b.y, b.width, b.height);
  if (g.bars.length > 0) doc.fill('#78909c');
  for (const [i, l] of g.lines.entries()) {
    doc.moveTo(l.x, g.plot.y0 - 4).lineTo(l.x, g.plot.y1).lineWidth(1.2);
    if (l.dashed) doc.dash(4, { space: 2 });
    doc.stroke(l.color);
    doc.undash();
    doc.font('bold').fontSize(6.5).fillColor(l.color);
    const width = doc.widthOfString(l.label);
    doc.text(l.label, l.anchor === 'end' ? l.x - 2 - width : l.x + 2, g.plot.y0 - 12 - (i % 2) * 8, { lineBreak: false });
  }
  // Injects to their reactions (an exercise's picture), under the marks, as the SVG draws them: an answer solid, a task or decision dashed.
  for (const l of g.links) {
    doc.moveTo(l.x1, l.y1).lineTo(l.x2, l.y2).lineWidth(0.8).strokeOpacity(0.7);
    if (l.kind !== 'reply') doc.dash(3, { space: 2 });
    doc.stroke(MARK_COLORS.inject);
    doc.undash().strokeOpacity(1);
  }
  for (const m of g.marks) {
    if (m.shape === 'circle') doc.circle(m.x, m.y, m.size * 0.7).fill(m.color);
    else polygon(doc, markPoints(m.shape, m.x, m.y, m.size)).fill(m.color);
  }
  doc.font('bold').fontSize(7);
  for (const [i, o] of g.offscale.entries()) {
    const label = o.side === 'right' ? `${o.label} →` : `← ${o.label}`;
    doc.fillColor(o.color).text(label, g.plot.x0, g.plot.y1 + 22 + i * 11, { width: g.plot.x1 - g.plot.x0, align: o.side === 'right' ? 'right' : 'left', lineBreak: false });
  }
  // Legend under the picture (an exercise's names the injects' flag first), on as many rows as it takes.
  let x = g.plot.x0;
  let y = g.height + 6;
  doc.font('sans').fontSize(7);
  for (const item of pictureLegend(lang, g.lanes.some((l) => l.id === 'injects'))) {
    const width = 11 + doc.widthOfString(item.label);
    if (x > g.plot.x0 && x + width > g.width) {
      x = g.plot.x0;
      y += LEGEND_ROW;
    }
    if (item.shape === 'circle') doc.circle(x + 4, y + 4, 3).fill(item.color);
    else polygon(doc, markPoints(item.shape, x + 4, y + 4, 4)).fill(item.color);
    doc.fillColor('#263238').text(item.label, x + 11, y, { lineBreak: false });
    x += width + 14;
  }
  doc.restore();
  doc.fillColor('black');
  return y + 14;
}

const LEGEND_ROW = 11;
/** The room under the geometry the caller keeps on the page: the legend, on up to two rows. */
export const PICTURE_FOOT = 6 + 2 * LEGEND_ROW + 3;

/** A closed path through `points` (a mark's outline), for the caller to fill or stroke. */
export function polygon(doc: PDFKit.PDFDocument, points: Array<[number, number]>): PDFKit.PDFDocument {
  const [first, ...rest] = points;
  doc.moveTo(first![0], first![1]);
  for (const [x, y] of rest) doc.lineTo(x, y);
  return doc.closePath();
}
