import type { IncidentState } from '../../shared/model/incident';

/**
 * The incident state as a reader without the write right (an observer) gets it over REST:
 * report drafts are the cell's working copies, like `GET …/reports/:id` which requires write
 * for a draft; published reports stay.
 */
export function withoutReportDrafts(state: IncidentState): IncidentState {
  return { ...state, reports: state.reports.filter((r) => r.status === 'published') };
}
