import type { TimelineEvent } from '../../shared/timeline/events';
import type { ExportHeader, ExportTrailer } from '../../shared/timeline/exportDocument';
import { PictureCollector, type PictureData } from '../../shared/timeline/picture/collector';
import type { PictureInput } from '../../shared/timeline/picture/geometry';
import { readsForInjectReferences } from '../../shared/timeline/injectReferences';
import { type InjectReaction, injectReactions } from '../../shared/timeline/picture/reactions';
import type { ExportInput } from './exportInput';
import { Spool } from './spool';

export interface FirstPass {
  spool: Spool;
  picture: PictureData;
  /** An exercise's lines from each inject to each reaction among the exported events (none for a real incident). */
  reactions: InjectReaction[];
  trailer: ExportTrailer;
}

/**
 * For the formats that print the picture, the count and the integrity verdict before the
 * events (HTML, PDF, SVG): one replay, each batch of events rendered by `render` (HTML rows,
 * or JSON lines for the PDF to draw later) into a spool file while the picture data is
 * collected. The caller removes the spool.
 */
export async function firstPass(input: ExportInput, render: (batch: TimelineEvent[]) => string): Promise<FirstPass> {
  const spool = Spool.create();
  try {
    const collector = new PictureCollector(input.header.lang ?? 'fr', input.header.timeZone);
    // Only an exercise has injects: keep just the events that may refer to one.
    const referring: TimelineEvent[] = [];
    const exercise = input.header.exercise === true;
    for await (const batch of input.events) {
      for (const e of batch) {
        collector.add(e);
        if (exercise && readsForInjectReferences(e)) referring.push(e);
      }
      await spool.add(render(batch));
    }
    await spool.close();
    return { spool, picture: collector.data(), reactions: injectReactions(referring, input.reactionRefs), trailer: input.trailer() };
  } catch (err) {
    spool.remove();
    throw err;
  }
}

/** One JSON line per event: what the PDF writer reads back. */
export function jsonLines(batch: TimelineEvent[]): string {
  let text = '';
  for (const e of batch) text += JSON.stringify(e) + '\n';
  return text;
}

/** Events back from JSON lines, in batches. They are our own output of a moment ago. */
export async function* readJsonLines(spool: Spool, batchSize = 500): AsyncGenerator<TimelineEvent[]> {
  let batch: TimelineEvent[] = [];
  for await (const line of spool.lines()) {
    if (!line) continue;
    batch.push(JSON.parse(line) as TimelineEvent);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export function pictureInputOf(header: ExportHeader, pass: Pick<FirstPass, 'picture' | 'reactions'>): PictureInput {
  return {
    title: header.incident.title,
    openedAt: header.incident.openedAt,
    detectedAt: header.incident.detectedAt,
    closedAt: header.incident.closedAt,
    deadlines: header.deadlines,
    data: pass.picture,
    reactions: pass.reactions,
    timeZone: header.timeZone,
    lang: header.lang ?? 'fr',
  };
}
