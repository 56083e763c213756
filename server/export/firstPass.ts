import type { ExportHeader, ExportTrailer } from '../../shared/timeline/exportDocument';
import { PictureCollector, type PictureData } from '../../shared/timeline/picture/collector';
import type { PictureInput } from '../../shared/timeline/picture/geometry';
import type { ExportInput } from './exportInput';
import { EventSpool } from './spool';

export interface FirstPass {
  spool: EventSpool;
  picture: PictureData;
  trailer: ExportTrailer;
}

/**
 * For the formats that print the picture, the count and the integrity verdict before the
 * events (HTML, PDF, SVG): one replay, events parked in a spool file while the picture data is
 * collected. The caller removes the spool.
 */
export async function firstPass(input: ExportInput): Promise<FirstPass> {
  const spool = EventSpool.create();
  try {
    const collector = new PictureCollector();
    for await (const batch of input.events) {
      for (const e of batch) collector.add(e);
      await spool.add(batch);
    }
    await spool.close();
    return { spool, picture: collector.data(), trailer: input.trailer() };
  } catch (err) {
    spool.remove();
    throw err;
  }
}

export function pictureInputOf(header: ExportHeader, data: PictureData): PictureInput {
  return {
    title: header.incident.title,
    openedAt: header.incident.openedAt,
    detectedAt: header.incident.detectedAt,
    closedAt: header.incident.closedAt,
    deadlines: header.deadlines,
    data,
    timeZone: header.timeZone,
  };
}
