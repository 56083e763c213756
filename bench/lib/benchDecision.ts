import * as Y from 'yjs';
import { DecisionsDoc } from '../../shared/docs/decisionsDoc';
import type { DecisionInput } from '../../shared/model/decisions';

/** The decision every side of the `watchers` workload records: this server's SDK, Hocuspocus's writer, the floor relay's. */
export function benchDecisionInput(k: number): DecisionInput {
  return { title: `Décision ${k} : bascule des urgences en mode dégradé`, statement: 'Procédures papier, renfort du standard.', status: 'approved' };
}

/**
 * Records decision `k` on a bare Y.Doc as the product's model writes it (a Y.Map of fields, its
 * statement a Y.Text, its history a Y.Array), so the peer and the floor relay broadcast the same
 * shape and size of update as this server (519 bytes, against 177 for a flat JSON string).
 */
export function recordBenchDecision(doc: Y.Doc, k: number, author: string): void {
  new DecisionsDoc(doc).record(benchDecisionInput(k), author, new Date());
}
