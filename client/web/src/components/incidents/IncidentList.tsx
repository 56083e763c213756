import { useEffect, useState } from 'preact/hooks';
import type { IncidentMeta } from '../../../../../shared/model/incident';
import type { MeReply } from '../../../../../shared/auth/schemas';
import { type IncidentList as IncidentListData, listIncidents } from '../../api';
import { href } from '../../router';
import { SeverityBadge, useI18n, useNow } from '../common/common';
import { UserBar } from '../common/UserBar';
import { NewIncidentForm } from './NewIncidentForm';
import { NewExerciseForm } from '../exercise/NewExerciseForm';

/** The incidents I am a member of, open ones first; create one (I become its director); open one. */
export function IncidentList({ me, offline }: { me: MeReply; offline: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const now = useNow(60_000);
  const [list, setList] = useState<IncidentListData | null>(null);

  useEffect(() => {
    document.title = `${t.incidents} — ${t.appTitle}`;
    let alive = true;
    const load = () =>
      void listIncidents(me.user.id).then(
        (l) => alive && setList(l),
        () => alive && setList((l) => l ?? { incidents: [], exercises: [], stale: true }),
      );
    load();
    const timer = setInterval(load, 15_000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [t, me.user.id]);

  const open = list?.incidents.filter((m) => m.status === 'open') ?? [];
  const closed = list?.incidents.filter((m) => m.status !== 'open') ?? [];

  return (
    <div class="list-page">
      <header class="list-head">
        <h1>{t.appTitle}</h1>
        <span class="tz">{i18n.zoneLabel(now)}</span>
        <UserBar me={me} current="list" />
      </header>
      <main class="list-main">
        <NewIncidentForm me={me} />
        <section aria-labelledby="incidents-title">
          <h2 id="incidents-title">{t.incidents}</h2>
          {list === null && <p class="muted">{t.listLoading}</p>}
          {(list?.stale || (offline && list === null)) && (
            <p class="banner warn" role="status">
              {t.listOffline}
            </p>
          )}
          {list && list.incidents.length === 0 && list.exercises.length === 0 && <p class="muted">{me.user.admin ? t.noIncidents : t.noIncidentsMember}</p>}
          {open.length > 0 && (
            <>
              <h3 class="group-title">
                {t.openIncidents} ({open.length})
              </h3>
              <ul class="incident-list" data-testid="incidents-open">
                {open.map((m) => <IncidentItem m={m} now={now} />)}
              </ul>
            </>
          )}
          {closed.length > 0 && (
            <>
              <h3 class="group-title">
                {t.closedIncidents} ({closed.length})
              </h3>
              <ul class="incident-list closed">{closed.map((m) => <IncidentItem m={m} now={now} />)}</ul>
            </>
          )}
        </section>
        {list && list.exercises.length > 0 && (
          <section aria-labelledby="exercises-title" class="exercises">
            <h2 id="exercises-title">
              {t.exercisesTitle} ({list.exercises.length})
            </h2>
            <ul class="incident-list" data-testid="incidents-exercises">
              {list.exercises.map((m) => <IncidentItem m={m} now={now} />)}
            </ul>
          </section>
        )}
        <NewExerciseForm />
      </main>
    </div>
  );
}

/** One incident of the list: a link to its room, and one to its wall screen. */
function IncidentItem({ m, now }: { m: IncidentMeta; now: Date }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <li class={`incident-item status-${m.status}`} data-testid="incident-item" data-id={m.id}>
      <a class="incident-link" href={href({ page: 'room', incidentId: m.id, view: 'log' })}>
        <span class="incident-name">
          {m.exercise && (
            <>
              <span class="badge exercise-mark" data-testid="exercise-mark">
                {t.exerciseMark}
              </span>{' '}
            </>
          )}
          {m.title}
        </span>
        <span class="incident-meta">
          <SeverityBadge severity={m.severity} />
          <span>
            {t.openedAt} {i18n.dateTime(m.openedAt)}
          </span>
          {m.status === 'open' && <span class="elapsed">{i18n.elapsed(m.detectedAt ?? m.openedAt, now)}</span>}
        </span>
      </a>
      <a class="small-link" href={href({ page: 'management', incidentId: m.id })}>
        {t.management} ↗
      </a>
    </li>
  );
}
