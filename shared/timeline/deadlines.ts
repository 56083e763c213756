import type { IncidentMeta } from '../model/incident';

/**
 * Regulatory deadlines drawn on the picture and stated in exports, counted from the moment the
 * organisation became aware of the incident (`detectedAt`). Only what the law fixes in hours
 * is listed; other obligations ("sans délai") have no line to draw.
 */
export interface DeadlineRule {
  id: string;
  label: string;
  hours: number;
  basis: string;
}

export const REGULATORY_DEADLINES: readonly DeadlineRule[] = [
  {
    id: 'cnil-72h',
    label: 'Notification CNIL (72 h)',
    hours: 72,
    basis: 'RGPD art. 33 : notification d’une violation de données personnelles à l’autorité de contrôle au plus tard 72 heures après en avoir pris connaissance',
  },
];

export interface Deadline {
  id: string;
  label: string;
  due: string;
  basis: string;
}

/** The deadlines of an incident; none until its detection time is known. */
export function deadlinesOf(meta: Pick<IncidentMeta, 'detectedAt'>, rules: readonly DeadlineRule[] = REGULATORY_DEADLINES): Deadline[] {
  if (!meta.detectedAt) return [];
  const start = Date.parse(meta.detectedAt);
  return rules.map((r) => ({ id: r.id, label: r.label, basis: r.basis, due: new Date(start + r.hours * 3_600_000).toISOString() }));
}
