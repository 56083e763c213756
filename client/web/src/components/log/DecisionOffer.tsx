import { type DecisionPrefill, leaveDecisionPrefill } from '../../decisionPrefill';
import { navigate } from '../../router';
import { useI18n } from '../common/common';

/**
 * After a `#decision` entry is posted: the entry is in the log, and the decisions register is
 * offered (its form opens prefilled with the entry's text). Nothing is recorded without the
 * user's say: a decision in the register is a formal act (status, authority, sealing).
 */
export function DecisionOffer({ incidentId, prefill, onDismiss }: { incidentId: string; prefill: DecisionPrefill; onDismiss: () => void }) {
  const { t } = useI18n();
  const w = t.friction;
  return (
    <div class="banner info row" role="status" data-testid="decision-offer">
      <span>{w.decisionOffer}</span>{' '}
      <button
        type="button"
        class="small primary"
        data-testid="decision-offer-record"
        onClick={() => {
          leaveDecisionPrefill(incidentId, prefill);
          navigate({ page: 'room', incidentId, view: 'decisions' });
        }}
      >
        {w.decisionRecord}
      </button>{' '}
      <button type="button" class="small ghost" onClick={onDismiss}>
        {w.decisionDismiss}
      </button>
    </div>
  );
}
