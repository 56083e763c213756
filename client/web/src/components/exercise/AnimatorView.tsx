import { useState } from 'preact/hooks';
import { roleAllows } from '../../../../../shared/auth/roles';
import type { ImprovisedInject } from '../../../../../shared/exercise/exerciseState';
import { fireInject, improviseInject, moveClock, recordObservation, setRoleHolders, setSpeed, skipInject } from '../../exerciseApi';
import type { Members } from '../../members';
import { announce, useI18n } from '../common/common';
import { Chronogram } from './Chronogram';
import { ClockControls } from './ClockControls';
import { ImproviseForm } from './ImproviseForm';
import { Observations } from './Observations';
import { RoleHolders } from './RoleHolders';
import { refusal, useExerciseState } from './exerciseHooks';
import './exercise.css';

/**
 * The animators' and evaluators' view of an exercise (the "Animation" tab): the clock, the
 * chronogram with its expected reactions, injects fired, skipped or written on the spot, who
 * plays which functional role, and the observations. Animators run it all; evaluators read the
 * chronogram and record observations. The server refuses the rest anyway; refusals show with
 * their code.
 */
export function AnimatorView({ incidentId, members }: { incidentId: string; members: Members }) {
  const { t } = useI18n();
  const w = t.exercise;
  const allowed = roleAllows(members.role, 'readExercise');
  const animate = roleAllows(members.role, 'animate');
  const { view, error, refresh } = useExerciseState(incidentId, t, allowed);
  const [actionError, setActionError] = useState<string | null>(null);

  /** Runs one action; a refusal is shown with its code, and the state is asked again either way. */
  const act = async (run: () => Promise<unknown>, done?: string): Promise<boolean> => {
    try {
      await run();
      setActionError(null);
      if (done) announce(done);
      return true;
    } catch (err) {
      setActionError(refusal(t, err));
      return false;
    } finally {
      refresh();
    }
  };

  if (!allowed) return <p class="muted" data-testid="animation-forbidden">{w.onlyAnimators}</p>;
  const shownError = actionError ?? error;
  const roles = view?.roles ?? [];
  const roleLabel = (id: string) => roles.find((r) => r.id === id)?.label ?? id;
  return (
    <div class="animation" data-testid="animation" data-animate={animate}>
      {shownError && (
        <p class="banner error" role="alert" data-testid="animation-error">
          {shownError}
        </p>
      )}
      {!view && !shownError && <p class="loading">{w.loading}</p>}
      {view && animate && (
        <ClockControls clock={view.clock} durationMinutes={view.durationMinutes} onMove={(m) => void act(() => moveClock(incidentId, m))} onSpeed={(f) => void act(() => setSpeed(incidentId, f))} />
      )}
      {view && (
        <Chronogram
          injects={view.injects}
          roleLabel={roleLabel}
          animate={animate}
          onFire={(id) => void act(() => fireInject(incidentId, id))}
          onSkip={(id) => void act(() => skipInject(incidentId, id))}
        />
      )}
      {view && animate && <ImproviseForm roles={roles} onSend={(input: ImprovisedInject) => act(() => improviseInject(incidentId, input), w.improviseSent)} />}
      {view && animate && members.list && (
        <RoleHolders
          roles={roles}
          holders={view.roleHolders}
          members={members.list}
          onSave={(roleId, userIds) => act(() => setRoleHolders(incidentId, roleId, userIds), w.rolesSaved(roleLabel(roleId)))}
        />
      )}
      {view && <Observations observations={view.observations} injects={view.injects} onRecord={(input) => act(() => recordObservation(incidentId, input), w.observationSaved)} />}
    </div>
  );
}
