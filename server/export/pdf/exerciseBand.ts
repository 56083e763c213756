/** The band's colours: white on red, unlike anything else an export prints. */
const BAND = { height: 18, fill: '#c62828', text: '#ffffff', size: 9 } as const;

/**
 * The exercise mark across the top edge of the current page (issue 17): a red band with the mark
 * in white, drawn in the top margin so it never covers the page's content. Every PDF of an
 * exercise (timeline, paper kit, regulatory draft, situation report) calls it once per page.
 * A faint diagonal watermark goes across the page too, so a sheet cut or copied without its
 * margins still says it.
 * Leaves the fill colour black and the cursor where it was; callers set their font again.
 */
export function drawExerciseBand(doc: PDFKit.PDFDocument, mark: string): void {
  const { x, y } = doc;
  const page = doc.page;
  const bottom = page.margins.bottom;
  page.margins.bottom = 0;
  doc.save();
  doc.rect(0, 0, page.width, BAND.height).fill(BAND.fill);
  doc.restore();
  const text = `${mark}   ·   ${mark}   ·   ${mark}`;
  doc.font('bold').fontSize(BAND.size).fillColor(BAND.text).text(text, 0, (BAND.height - BAND.size) / 2 - 0.5, { width: page.width, align: 'center', lineBreak: false });
  watermark(doc, mark);
  doc.fillColor('black');
  page.margins.bottom = bottom;
  doc.x = x;
  doc.y = y;
}

/** The mark across the page's diagonal, faint enough to read the page through it. */
function watermark(doc: PDFKit.PDFDocument, mark: string): void {
  const { width, height } = doc.page;
  const angle = (Math.atan2(height, width) * 180) / Math.PI;
  doc.font('bold').fontSize(10);
  const size = Math.min(72, (10 * 0.8 * Math.hypot(width, height)) / doc.widthOfString(mark));
  doc.save();
  doc.rotate(-angle, { origin: [width / 2, height / 2] });
  doc.fontSize(size).fillColor(BAND.fill, 0.08);
  doc.text(mark, 0, height / 2 - size / 2, { width, align: 'center', lineBreak: false });
  doc.restore();
}
