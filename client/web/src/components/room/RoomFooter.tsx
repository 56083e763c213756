import { reportWords } from '../../i18n';
import { useWords as useTimelineWords } from '../../timeline/words';
import { Kbd, useI18n } from '../common/common';

/** The foot of the room: the keyboard shortcuts (folded) and the time zone. */
export function RoomFooter({ now }: { now: Date }) {
  const i18n = useI18n();
  const { t } = i18n;
  const timelineWords = useTimelineWords();
  return (
    <footer class="room-foot">
      <details>
        <summary>{t.shortcuts}</summary>
        <dl class="shortcuts">
          <dt>
            <Kbd>Alt+J</Kbd> <Kbd>Alt+K</Kbd> <Kbd>Alt+N</Kbd> <Kbd>Alt+B</Kbd> <Kbd>Alt+G</Kbd> <Kbd>Alt+L</Kbd>
          </dt>
          <dd>
            {t.scViews} ({t.viewLog}, {t.viewTasks}, {t.viewDecisions}, {reportWords(i18n.lang).viewReports}, {t.viewRegulatory}, {timelineWords.tab})
          </dd>
          <dt>
            <Kbd>⏎</Kbd>
          </dt>
          <dd>{t.scQuick}</dd>
          <dt>
            <Kbd>Alt+C</Kbd> <Kbd>Alt+S</Kbd> <Kbd>Alt+O</Kbd> <Kbd>Alt+T</Kbd> <Kbd>Alt+I</Kbd>
          </dt>
          <dd>
            {t.filterCategory}, {t.severity}, {t.source}, {t.eventTime}, {t.key}
          </dd>
          <dt>
            <Kbd>Alt+R</Kbd>
          </dt>
          <dd>{t.scFilter}</dd>
          <dt>
            <Kbd>Alt+A</Kbd>
          </dt>
          <dd>{t.scAdd}</dd>
          <dt>
            <Kbd>Shift+←/→</Kbd> <Kbd>Shift+↑/↓</Kbd>
          </dt>
          <dd>{t.boardKeys}</dd>
          <dt>
            <Kbd>{i18n.lang === 'fr' ? 'Échap' : 'Esc'}</Kbd>
          </dt>
          <dd>{t.scEscape}</dd>
        </dl>
      </details>
      <span class="muted">
        {t.timeZone}{t.colon} {i18n.zoneLabel(now)}
      </span>
    </footer>
  );
}
