import type { Debrief, DebriefFormat } from '../../../shared/exercise/debrief';
import { layoutDebriefPicture } from '../../../shared/exercise/debriefPicture';
import { renderDebriefSvg } from '../../../shared/exercise/debriefSvg';
import { escapeJsonControls, neutraliseStrings } from '../../export/neutralise';
import { debriefMarkdown } from './debriefMarkdown';
import { debriefPdf } from './debriefPdf';

export interface RenderedDebrief {
  contentType: string;
  extension: string;
  body: Buffer;
}

const CONTENT_TYPES: Record<DebriefFormat, string> = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  pdf: 'application/pdf',
  svg: 'image/svg+xml; charset=utf-8',
};

/** The debrief in one format. JSON keeps the data as built; every format for people's eyes gets its text neutralised first (server/export/neutralise.ts). */
export async function renderDebrief(debrief: Debrief, format: DebriefFormat): Promise<RenderedDebrief> {
  const shown = format === 'json' ? debrief : neutraliseStrings(debrief);
  const body = await (async () => {
    switch (format) {
      case 'json':
        return Buffer.from(`${escapeJsonControls(JSON.stringify(shown, null, 2))}\n`);
      case 'md':
        return Buffer.from(debriefMarkdown(shown));
      case 'pdf':
        return debriefPdf(shown);
      case 'svg':
        return Buffer.from(renderDebriefSvg(layoutDebriefPicture(shown, shown.lang, { width: 960 })));
    }
  })();
  return { contentType: CONTENT_TYPES[format], extension: format, body };
}

export function debriefFileName(incidentId: string, producedAt: string, extension: string): string {
  const stamp = producedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `exercise-${incidentId}-debrief-${stamp}.${extension}`;
}
