import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { layoutPicture } from '../../../../shared/timeline/picture/geometry';
import { LINE_COLORS, type PictureGeometry } from '../../../../shared/timeline/picture/geometry';
import { markPoints } from '../../../../shared/timeline/picture/svg';
import type { IncidentMeta } from '../../../../shared/model/incident';
import { useI18n } from '../components/common/common';
import { PLAIN_COLOR, type Prepared, marksFor } from './picture';
import { LANES, laneLabel } from '../../../../shared/timeline/picture/collector';
import type { InjectReaction } from '../../../../shared/timeline/picture/reactions';
import { type TimeWindow, panBy, span, zoomAt } from './zoom';
import { kindLabel, useWords } from './words';
import { fullTime } from './time';

export interface PictureProps {
  meta: IncidentMeta;
  deadlines: Array<{ id: string; label: string; due: string }>;
  prepared: Prepared;
  /** An exercise's injects and the reactions to them: a line from each to each, when both are in the window. */
  reactions: readonly InjectReaction[];
  window: TimeWindow;
  extent: TimeWindow;
  onWindow: (w: TimeWindow | null) => void;
  /** The moment of the past state shown, drawn as a line. */
  cursorMs: number | null;
  activeId: string | null;
  onActive: (id: string) => void;
}

const LABEL_WIDTH = 170;
const LANE_HEIGHT = 28;
const n1 = (v: number) => Math.round(v * 10) / 10;

/**
 * The incident on a time axis, as SVG elements (no markup strings, no style attributes: colours
 * are presentation attributes or CSS classes, which the strict CSP allows). Geometry comes from
 * shared/timeline/picture, laid out again for the window on screen at every zoom or pan.
 * Keyboard: + / - zoom, 0 fits, arrows pan; on an event, arrows go to the previous / next one.
 * (`tabindex` in lower case: SVG attributes are case-sensitive and Preact sets them as written.)
 */
export function TimelinePicture(props: PictureProps) {
  const { meta, deadlines, prepared, reactions, window: w, extent, onWindow, cursorMs, activeId, onActive } = props;
  const i18n = useI18n();
  const words = useWords();
  const boxRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const width = useContentWidth(boxRef);
  const marks = useMemo(() => marksFor(prepared, w), [prepared, w]);
  const g = useMemo(
    () =>
      layoutPicture(
        // Named lines are drawn here (in the reader's language), not by the layout.
        { title: meta.title, openedAt: meta.openedAt, detectedAt: null, closedAt: null, deadlines: [], data: marks.data, timeZone: i18n.timeZone, lang: i18n.lang, window: w, reactions },
        { width, labelWidth: LABEL_WIDTH, laneHeight: LANE_HEIGHT },
      ),
    [marks, width, w, meta.title, meta.openedAt, i18n.timeZone, i18n.lang, reactions],
  );
  const { x0, x1, y1 } = g.plot;
  const xOf = (ms: number) => x0 + ((ms - w.fromMs) / span(w)) * (x1 - x0);

  const named = namedLines(meta, deadlines, i18n, words);
  const inside = named.filter((l) => l.ms >= w.fromMs && l.ms <= w.toMs);
  const outside = named.filter((l) => l.ms < w.fromMs || l.ms > w.toMs);
  const height = y1 + 36 + outside.length * 16;

  const { onPointerDown, onPointerMove, onPointerUp, onWheel } = usePanZoom(svgRef, w, extent, onWindow, x0, x1);

  // Marks in screen order, for previous / next by keyboard.
  const order = g.marks.map((m) => prepared.events[Number(m.title)]!.id);
  const focusMark = (id: string | undefined) => {
    if (!id) return;
    onActive(id);
    svgRef.current?.querySelector<SVGGElement>(`[data-id="${CSS.escape(id)}"]`)?.focus();
  };
  const onKeyDown = (ev: KeyboardEvent) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const target = ev.target as Element;
    const onMark = target instanceof SVGGElement && target.dataset.id !== undefined;
    if (ev.key === 'ArrowLeft' || ev.key === 'ArrowRight') {
      ev.preventDefault();
      const step = ev.key === 'ArrowLeft' ? -1 : 1;
      if (onMark) focusMark(order[order.indexOf(target.dataset.id!) + step]);
      else onWindow(panBy(w, step * span(w) * 0.2, extent));
    } else if (ev.key === 'Enter' && !onMark) {
      ev.preventDefault();
      focusMark(activeId && order.includes(activeId) ? activeId : order[0]);
    } else if (ev.key === 'Escape' && onMark) {
      ev.preventDefault();
      svgRef.current?.focus();
    }
  };

  const windowLabel = `${fullTime(i18n, w.fromMs)} → ${fullTime(i18n, w.toMs)}`;

  return (
    <div class="tl-picture" ref={boxRef}>
      <p class="tl-window muted" data-testid="tl-window">
        {words.window} {windowLabel} · {words.events(marks.inWindow)}
      </p>
      <svg
        ref={svgRef}
        class="tl-svg"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        tabindex={0}
        role="group"
        aria-label={`${words.pictureLabel} — ${windowLabel}`}
        aria-describedby="tl-keys"
        data-testid="tl-svg"
        data-from={new Date(w.fromMs).toISOString()}
        data-to={new Date(w.toMs).toISOString()}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onWheel={onWheel}
        onKeyDown={onKeyDown}
      >
        <Grid g={g} width={width} />
        {inside.map((l, i) => {
          const x = n1(xOf(l.ms));
          const end = x > x1 - 110;
          return (
            <g class="tl-line" data-line={l.key}>
              <line x1={x} x2={x} y1={i % 2 ? 22 : 10} y2={y1} stroke={l.color} stroke-width={1.5} stroke-dasharray={l.dashed ? '5 3' : undefined} />
              <text x={end ? x - 4 : x + 4} y={i % 2 ? 28 : 16} text-anchor={end ? 'end' : 'start'} fill={l.color}>
                {l.label}
              </text>
            </g>
          );
        })}
        {cursorMs !== null && cursorMs >= w.fromMs && cursorMs <= w.toMs && (
          <g class="tl-cursor" data-testid="tl-cursor">
            <line x1={n1(xOf(cursorMs))} x2={n1(xOf(cursorMs))} y1={4} y2={y1} />
            <title>{`${words.cursor}${i18n.t.colon} ${fullTime(i18n, cursorMs)}`}</title>
          </g>
        )}
        <g class="tl-reactions" aria-hidden="true">
          {g.links.map((l) => (
            <line class={`tl-reaction ${l.kind}`} data-testid="tl-reaction" data-inject={l.injectEntryId} data-reaction={l.reactionId} x1={n1(l.x1)} y1={n1(l.y1)} x2={n1(l.x2)} y2={n1(l.y2)} />
          ))}
        </g>
        <Marks marks={g.marks} prepared={prepared} activeId={activeId} onActive={onActive} />
        {outside.map((l, i) => {
          const left = l.ms < w.fromMs;
          return (
            <text class="tl-offscale" x={left ? x0 : x1} y={y1 + 34 + i * 16} text-anchor={left ? 'start' : 'end'} fill={l.color}>
              {left ? `← ${l.label}${i18n.t.colon} ${fullTime(i18n, l.ms)}` : `${l.label}${i18n.t.colon} ${fullTime(i18n, l.ms)} →`}
            </text>
          );
        })}
      </svg>
      {!marks.complete && <p class="muted tl-note">{words.overview}</p>}
      <p class="muted tl-note" id="tl-keys">
        {words.keys}
      </p>
    </div>
  );
}

/** The width of an element's content box, followed as it resizes (at least 480). */
function useContentWidth(boxRef: { current: HTMLDivElement | null }): number {
  const [width, setWidth] = useState(960);
  useEffect(() => {
    const box = boxRef.current;
    if (!box) return undefined;
    // The content box: clientWidth counts the padding too.
    const measure = () => {
      const style = getComputedStyle(box);
      setWidth(Math.max(480, Math.floor(box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight))));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
  }, [boxRef]);
  return width;
}

/** Drag to pan, two fingers to pinch, the wheel to zoom (shift or sideways: pan). */
function usePanZoom(svgRef: { current: SVGSVGElement | null }, w: TimeWindow, extent: TimeWindow, onWindow: (w: TimeWindow) => void, x0: number, x1: number) {
  const msAt = (x: number) => w.fromMs + ((x - x0) / (x1 - x0)) * span(w);
  // Pointers by id, with where the gesture started.
  const gesture = useRef<{ pointers: Map<number, number>; startX: number; startWindow: TimeWindow; startDist: number; moved: boolean } | null>(null);
  const localX = (clientX: number) => clientX - (svgRef.current?.getBoundingClientRect().left ?? 0);

  const onPointerDown = (ev: PointerEvent) => {
    if (ev.button !== 0) return;
    const x = localX(ev.clientX);
    const current = gesture.current;
    if (current && current.pointers.size === 1) {
      current.pointers.set(ev.pointerId, x);
      const [a, b] = [...current.pointers.values()] as [number, number];
      current.startDist = Math.abs(a - b) || 1;
      current.startWindow = w;
      current.startX = (a + b) / 2;
    } else {
      gesture.current = { pointers: new Map([[ev.pointerId, x]]), startX: x, startWindow: w, startDist: 1, moved: false };
    }
  };
  const onPointerMove = (ev: PointerEvent) => {
    const current = gesture.current;
    if (!current || !current.pointers.has(ev.pointerId)) return;
    const x = localX(ev.clientX);
    current.pointers.set(ev.pointerId, x);
    if (current.pointers.size >= 2) {
      const [a, b] = [...current.pointers.values()] as [number, number];
      const dist = Math.abs(a - b) || 1;
      const anchor = current.startWindow.fromMs + ((current.startX - x0) / (x1 - x0)) * span(current.startWindow);
      onWindow(zoomAt(current.startWindow, current.startDist / dist, anchor, extent));
      current.moved = true;
      return;
    }
    const dx = x - current.startX;
    if (!current.moved && Math.abs(dx) < 4) return;
    if (!current.moved) svgRef.current?.setPointerCapture(ev.pointerId);
    current.moved = true;
    onWindow(panBy(current.startWindow, (-dx * span(current.startWindow)) / (x1 - x0), extent));
  };
  const onPointerUp = (ev: PointerEvent) => {
    const current = gesture.current;
    if (!current) return;
    current.pointers.delete(ev.pointerId);
    if (current.pointers.size === 0) gesture.current = null;
  };
  const onWheel = (ev: WheelEvent) => {
    ev.preventDefault();
    const horizontal = ev.shiftKey || Math.abs(ev.deltaX) > Math.abs(ev.deltaY);
    const delta = ev.deltaMode === 1 ? (horizontal ? ev.deltaX || ev.deltaY : ev.deltaY) * 16 : horizontal ? ev.deltaX || ev.deltaY : ev.deltaY;
    if (horizontal) onWindow(panBy(w, (delta * span(w)) / (x1 - x0), extent));
    else onWindow(zoomAt(w, Math.exp(delta * 0.0015), msAt(localX(ev.clientX)), extent));
  };

  return { onPointerDown, onPointerMove, onPointerUp, onWheel };
}

/** The highlighted events, each focusable, labelled with its time, author and kind. */
function Marks({ marks, prepared, activeId, onActive }: { marks: PictureGeometry['marks']; prepared: Prepared; activeId: string | null; onActive: (id: string) => void }) {
  const i18n = useI18n();
  return (
    <>
      {marks.map((m) => {
          const e = prepared.events[Number(m.title)]!;
          const label = `${fullTime(i18n, e.at)} — ${e.author} — ${kindLabel(e.kind, i18n.lang)}`;
          return (
            <g
              // Keyed by event: after a zoom the focused element still is the same event.
              key={e.id}
              class={`tl-mark${e.id === activeId ? ' active' : ''}`}
              tabindex={-1}
              role="img"
              aria-label={label}
              data-testid="tl-mark"
              data-id={e.id}
              data-kind={e.kind}
              data-lane={LANES[prepared.lanes[Number(m.title)]!]}
              onPointerEnter={() => onActive(e.id)}
              onFocus={() => onActive(e.id)}
            >
              {m.shape === 'circle' ? (
                <circle cx={n1(m.x)} cy={n1(m.y)} r={m.color === PLAIN_COLOR ? 3.5 : m.size * 0.8} fill={m.color} />
              ) : (
                <polygon points={markPoints(m.shape, m.x, m.y, m.size + 1).map(([x, y]) => `${n1(x)},${n1(y)}`).join(' ')} fill={m.color} />
              )}
            </g>
          );
        })}
    </>
  );
}

/** The lanes with their names, the time axis and the density bars. */
function Grid({ g, width }: { g: PictureGeometry; width: number }) {
  const i18n = useI18n();
  const { y0, y1 } = g.plot;
  return (
    <>
      {g.lanes.map((lane, i) => (
        <g class={`tl-lane${i % 2 ? ' odd' : ''}`} data-lane={lane.id}>
          <rect x={0} y={lane.y} width={width} height={lane.height} />
          <text x={8} y={lane.y + lane.height / 2 + 4}>
            {laneLabel(lane.id, i18n.lang)}
          </text>
        </g>
      ))}
      {g.ticks.map((t) => (
        <g class={`tl-tick${t.major ? ' major' : ''}`}>
          <line x1={n1(t.x)} x2={n1(t.x)} y1={y0} y2={y1 + 4} />
          <text x={n1(t.x)} y={y1 + 16} text-anchor="middle">
            {t.label}
          </text>
        </g>
      ))}
      {g.bars.map((b) => (
        <rect class="tl-bar" x={n1(b.x)} y={n1(b.y)} width={n1(b.width)} height={n1(b.height)} />
      ))}
    </>
  );
}

/** The named times drawn as vertical lines: opening, detection, closing, deadlines (short names). */
function namedLines(meta: IncidentMeta, deadlines: PictureProps['deadlines'], i18n: ReturnType<typeof useI18n>, words: ReturnType<typeof useWords>) {
  return [
    { key: 'opened', ms: Date.parse(meta.openedAt), label: words.opened, color: LINE_COLORS.opened, dashed: false },
    ...(meta.detectedAt ? [{ key: 'detection', ms: Date.parse(meta.detectedAt), label: words.detection, color: LINE_COLORS.detection, dashed: true }] : []),
    ...(meta.closedAt ? [{ key: 'closed', ms: Date.parse(meta.closedAt), label: words.closed, color: LINE_COLORS.closed, dashed: false }] : []),
    ...deadlines.map((d) => ({ key: `deadline-${d.id}`, ms: Date.parse(d.due), label: words.shortDeadline[d.id] ?? i18n.words.regulatory.deadlines[d.id as keyof typeof i18n.words.regulatory.deadlines]?.label ?? d.label, color: LINE_COLORS.deadline, dashed: true })),
  ];
}
