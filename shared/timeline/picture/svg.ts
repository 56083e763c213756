import { type Lang, words } from '../../i18n';
import type { PictureGeometry } from './geometry';
import type { MarkShape } from './collector';
import { MARK_COLORS } from './collector';

/** Text for XML content and attributes. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A coordinate as SVG text: a tenth of a unit is precise enough, and keeps the file small. */
export const n = (v: number) => (Math.round(v * 10) / 10).toString();

/** The points of a mark's outline, centred on (x, y). */
export function markPoints(shape: MarkShape, x: number, y: number, r: number): Array<[number, number]> {
  switch (shape) {
    case 'diamond':
      return [[x, y - r], [x + r, y], [x, y + r], [x - r, y]];
    case 'triangle':
      return [[x, y - r], [x + r, y + r * 0.8], [x - r, y + r * 0.8]];
    case 'square':
      return [[x - r * 0.8, y - r * 0.8], [x + r * 0.8, y - r * 0.8], [x + r * 0.8, y + r * 0.8], [x - r * 0.8, y + r * 0.8]];
    case 'star': {
      const pts: Array<[number, number]> = [];
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const rr = i % 2 === 0 ? r * 1.2 : r * 0.5;
        pts.push([x + rr * Math.cos(a), y + rr * Math.sin(a)]);
      }
      return pts;
    }
    case 'flag':
      // A pennant on its pole: an inject, a message from outside.
      return [[x - r * 0.7, y + r], [x - r * 0.7, y - r], [x + r, y - r * 0.45], [x - r * 0.35, y + r * 0.1], [x - r * 0.35, y + r]];
    case 'circle':
      return [];
  }
}

/** What every picture of the timeline's lanes has: lanes, a plot area, ticks on the time axis. */
export interface SvgLanesAndAxis {
  lanes: ReadonlyArray<{ y: number; height: number; label: string; count: number }>;
  plot: { x0: number; x1: number; y0: number; y1: number };
  ticks: ReadonlyArray<{ x: number; label: string; major?: boolean }>;
}

/** The lanes (every other one shaded, labelled with its count), the time axis and its ticks: the timeline's picture and the debrief's write them alike. */
export function svgLanesAndAxis(out: string[], g: SvgLanesAndAxis): void {
  for (const [i, lane] of g.lanes.entries()) {
    if (i % 2 === 0) out.push(`<rect x="${g.plot.x0}" y="${n(lane.y)}" width="${n(g.plot.x1 - g.plot.x0)}" height="${lane.height}" fill="#f4f6f8"/>`);
    out.push(`<text x="${g.plot.x0 - 6}" y="${n(lane.y + lane.height / 2 + 4)}" text-anchor="end" fill="#263238">${escapeXml(lane.label)} (${lane.count})</text>`);
  }
  out.push(`<line x1="${g.plot.x0}" y1="${n(g.plot.y1)}" x2="${g.plot.x1}" y2="${n(g.plot.y1)}" stroke="#455a64"/>`);
  for (const t of g.ticks) {
    out.push(`<line x1="${n(t.x)}" y1="${g.plot.y0}" x2="${n(t.x)}" y2="${n(g.plot.y1 + 4)}" stroke="${t.major ? '#90a4ae' : '#cfd8dc'}" stroke-width="${t.major ? 1 : 0.5}"/>`);
    out.push(`<text x="${n(t.x)}" y="${n(g.plot.y1 + 16)}" text-anchor="middle" fill="#455a64" font-size="10">${escapeXml(t.label)}</text>`);
  }
}

/**
 * A standalone SVG document of the picture: no external asset, fonts from the reader's system,
 * a tooltip (<title>) on every mark. Used by the HTML export and `format=svg`.
 */
export function renderSvg(g: PictureGeometry, caption = ''): string {
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${g.width} ${n(g.height)}" width="${g.width}" height="${n(g.height)}" font-family="DejaVu Sans, Verdana, Arial, sans-serif" font-size="11" role="img" aria-label="${escapeXml(caption)}">`);
  out.push(`<rect x="0" y="0" width="${g.width}" height="${n(g.height)}" fill="#ffffff"/>`);
  svgLanesAndAxis(out, g);
  // Density.
  out.push('<g fill="#78909c">');
  for (const b of g.bars) out.push(`<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.width)}" height="${n(b.height)}"><title>${b.count}</title></rect>`);
  out.push('</g>');
  // Named times as vertical lines, labels staggered so neighbours do not overlap.
  for (const [i, l] of g.lines.entries()) {
    out.push(`<line x1="${n(l.x)}" y1="${g.plot.y0 - 6}" x2="${n(l.x)}" y2="${n(g.plot.y1)}" stroke="${l.color}" stroke-width="1.5"${l.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    const tx = l.anchor === 'end' ? l.x - 3 : l.x + 3;
    out.push(`<text x="${n(tx)}" y="${n(g.plot.y0 - 8 - (i % 2) * 10)}" text-anchor="${l.anchor}" fill="${l.color}" font-size="10" font-weight="bold">${escapeXml(l.label)}</text>`);
  }
  // Injects to their reactions (an exercise's picture), under the marks.
  for (const l of g.links) out.push(`<line x1="${n(l.x1)}" y1="${n(l.y1)}" x2="${n(l.x2)}" y2="${n(l.y2)}" stroke="${MARK_COLORS.inject}" stroke-width="1" stroke-opacity="0.7"${l.kind === 'reply' ? '' : ' stroke-dasharray="3 2"'}/>`);
  // Marks.
  for (const m of g.marks) {
    const title = `<title>${escapeXml(m.title)}</title>`;
    if (m.shape === 'circle') out.push(`<circle cx="${n(m.x)}" cy="${n(m.y)}" r="${m.size * 0.7}" fill="${m.color}" stroke="#fff" stroke-width="0.5">${title}</circle>`);
    else out.push(`<polygon points="${markPoints(m.shape, m.x, m.y, m.size).map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" fill="${m.color}" stroke="#fff" stroke-width="0.5">${title}</polygon>`);
  }
  // Times beyond the window.
  for (const [i, o] of g.offscale.entries()) {
    const y = g.plot.y1 + 34 + i * 16;
    out.push(`<text x="${o.side === 'right' ? g.plot.x1 : g.plot.x0}" y="${n(y)}" text-anchor="${o.side === 'right' ? 'end' : 'start'}" fill="${o.color}" font-size="10" font-weight="bold">${o.side === 'right' ? '' : '← '}${escapeXml(o.label)}${o.side === 'right' ? ' →' : ''}</text>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

/** The legend of marks, in the reader's language, for the exports to print under the picture; an exercise's names its injects too. */
export function pictureLegend(lang: Lang, exercise = false): Array<{ shape: MarkShape; color: string; label: string }> {
  const l = words(lang).timeline.legend;
  return [
    ...(exercise ? [{ shape: 'flag' as const, color: MARK_COLORS.inject, label: l.inject }] : []),
    { shape: 'square', color: MARK_COLORS.incident, label: l.incident },
    { shape: 'star', color: MARK_COLORS.key, label: l.key },
    { shape: 'triangle', color: MARK_COLORS.alert, label: l.alert },
    { shape: 'diamond', color: MARK_COLORS.approved, label: l.approved },
    { shape: 'diamond', color: MARK_COLORS.superseded, label: l.superseded },
    { shape: 'diamond', color: MARK_COLORS.revoked, label: l.revoked },
    { shape: 'circle', color: MARK_COLORS.taskDone, label: l.taskDone },
  ];
}
