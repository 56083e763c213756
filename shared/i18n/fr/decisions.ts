import type { DecisionsWords } from '../en/decisions';

/** Words of the decision record. French: same keys as the English table (a missing or extra key fails tsc). */
export const decisions: DecisionsWords = {
  decisionsLabel: 'Relevé de décisions',
  newDecision: 'Nouvelle décision',
  decisionTitle: 'Décision',
  decisionTitlePlaceholder: 'ex. Couper l’accès internet du CHU',
  statement: 'Énoncé',
  rationale: 'Motifs',
  decisionStatus: 'Statut',
  record: 'Enregistrer la décision',
  decidedBy: 'Décidée par',
  proposedBy: 'Proposée par',
  approve: 'Approuver',
  reject: 'Rejeter',
  revoke: 'Révoquer',
  supersede: 'Remplacer',
  supersedes: 'Remplace',
  supersededBy: 'Remplacée par',
  note: 'Note',
  notePlaceholder: 'motif du changement (facultatif)',
  history: 'Historique',
  noDecisions: 'Aucune décision enregistrée.',
};
