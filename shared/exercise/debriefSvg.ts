import { escapeXml, markPoints, n, svgLanesAndAxis } from '../timeline/picture/svg';
import { DEBRIEF_COLORS, type DebriefPicture } from './debriefPicture';

/** A standalone SVG document of the debrief picture (no external asset), the exercise mark on top, a tooltip on every mark. */
export function renderDebriefSvg(g: DebriefPicture): string {
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${g.width} ${n(g.height)}" width="${g.width}" height="${n(g.height)}" font-family="DejaVu Sans, Verdana, Arial, sans-serif" font-size="11" role="img" aria-label="${escapeXml(`${g.mark} — ${g.caption}`)}">`);
  out.push(`<rect x="0" y="0" width="${g.width}" height="${n(g.height)}" fill="#ffffff"/>`);
  out.push(`<text x="${g.plot.x0}" y="14" fill="#c62828" font-weight="bold">${escapeXml(g.mark)}</text>`);
  svgLanesAndAxis(out, g);
  for (const l of g.links) {
    out.push(`<line x1="${n(l.x1)}" y1="${n(l.y1)}" x2="${n(l.x2)}" y2="${n(l.y2)}" stroke="${DEBRIEF_COLORS.link}" stroke-width="1.2"/>`);
    out.push(`<text x="${n(l.labelX)}" y="${n(l.labelY)}" fill="${DEBRIEF_COLORS.link}" font-size="9">${escapeXml(l.label)}</text>`);
  }
  for (const m of g.marks) {
    const title = `<title>${escapeXml(m.title)}</title>`;
    const paint = m.hollow ? `fill="#ffffff" stroke="${m.color}" stroke-width="1.5"` : `fill="${m.color}" stroke="#fff" stroke-width="0.5"`;
    if (m.shape === 'circle') out.push(`<circle cx="${n(m.x)}" cy="${n(m.y)}" r="3.5" ${paint}>${title}</circle>`);
    else out.push(`<polygon points="${markPoints('diamond', m.x, m.y, 6).map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" ${paint}>${title}</polygon>`);
  }
  out.push('</svg>');
  return out.join('\n');
}
