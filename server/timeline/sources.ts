import type { TimelineEvent } from '../../shared/timeline/events';
import type { EventFilter } from '../../shared/timeline/filter';

/**
 * Extension point: events that do not come from the incident's journal, merged into the same
 * timeline by server time. The accounts work plugs its membership audit in here (kinds
 * `member.joined` / `member.left`, `ref: null`), through `TimelineService`'s `sources`.
 *
 * A source must yield batches in non-decreasing `at` order (ISO 8601 UTC with milliseconds, as
 * `Date.prototype.toISOString` writes it), only events the filter accepts, and events valid
 * against TimelineEventSchema.
 */
export interface TimelineSource {
  readonly name: string;
  events(incidentId: string, filter: EventFilter): AsyncIterable<TimelineEvent[]>;
}
