/** Words of the decision record. English, the reference table: the French one must have exactly its keys. */
export const decisions = {
  decisionsLabel: 'Decision record',
  newDecision: 'New decision',
  decisionTitle: 'Decision',
  decisionTitlePlaceholder: 'e.g. Cut the hospital’s internet access',
  statement: 'Statement',
  rationale: 'Rationale',
  decisionStatus: 'Status',
  record: 'Record the decision',
  decidedBy: 'Decided by',
  proposedBy: 'Proposed by',
  approve: 'Approve',
  reject: 'Reject',
  revoke: 'Revoke',
  supersede: 'Supersede',
  supersedes: 'Supersedes',
  supersededBy: 'Superseded by',
  note: 'Note',
  notePlaceholder: 'reason for the change (optional)',
  history: 'History',
  noDecisions: 'No decision recorded.',
};
export type DecisionsWords = typeof decisions;
