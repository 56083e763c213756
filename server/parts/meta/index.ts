import { PART_ROOTS, ROOTS } from '../../../shared/model/parts';
import type { PartModule } from '../partModule';
import { createdRecords } from '../rules/records';
import { metaPolicy } from './policy';
import { MetaReplayer } from './replay';

/** The incident's metadata. Its `id` names the incident of the document it is in, since the incident list is derived from it. */
export const metaPart: PartModule = {
  name: 'meta',
  roots: PART_ROOTS.meta,
  policy: metaPolicy,
  seals: false,
  readRecord: null,
  admission(ctx) {
    return {
      checkInsert(container, key, content) {
        if (container.path[0] !== ROOTS.meta || container.path.length !== 1 || key !== 'id' || content.kind !== 'values') return null;
        if (content.values[0] !== ctx.incidentId) return { code: 'UPDATE_WRONG_PLACE', message: `the metadata's id must be this incident's (${ctx.incidentId})` };
        return null;
      },
      // Exercise or real is fixed at creation (by the server): no update writes or deletes the mark.
      check: (_doc, _bytes, update) =>
        update.touchedRecords.has('exercise') ? { code: 'EXERCISE_MARK_FIXED', message: 'an incident is an exercise or a real incident from its creation; that never changes' } : null,
      created: (doc, update) => createdRecords(doc, ROOTS.meta, update),
    };
  },
  replayer: () => new MetaReplayer(),
};
