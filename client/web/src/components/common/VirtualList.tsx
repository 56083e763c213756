import type { VNode } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { RowOffsets } from './rowOffsets';

interface Props<T> {
  items: readonly T[];
  itemKey: (item: T) => string;
  render: (item: T, index: number) => VNode;
  /** Height used for rows not yet measured. */
  estimate: number;
  /** Which end follows new items while the user is there: the bottom (newest last) or the top. */
  anchor: 'bottom' | 'top';
  /** Key of a row to bring into view (e.g. a linked entry); changes trigger the scroll. */
  revealKey?: string | null;
  label: string;
  id?: string;
  empty?: VNode;
}

const OVERSCAN_PX = 600;

/** Index of the last offset <= y. */
function indexAt(offsets: Float64Array, count: number, y: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return Math.min(lo, Math.max(0, count - 1));
}

/** The height of the scrolling box, followed as it changes (a window resized, a phone turned). */
function useViewHeight(viewport: { current: HTMLDivElement | null }): number {
  const [viewHeight, setViewHeight] = useState(800);
  useEffect(() => {
    const el = viewport.current;
    if (!el) return undefined;
    const ro = new ResizeObserver(() => setViewHeight(el.clientHeight));
    ro.observe(el);
    setViewHeight(el.clientHeight);
    return () => ro.disconnect();
  }, [viewport]);
  return viewHeight;
}

/**
 * A list that renders only the rows in and around the viewport, with measured (variable)
 * heights: 10,000 log entries scroll as smoothly as 50. While the user is at the anchored end,
 * new rows keep it in view; elsewhere, the rows under the eye stay put when heights settle.
 */
export function VirtualList<T>({ items, itemKey, render, estimate, anchor, revealKey, label, id, empty }: Props<T>) {
  const viewport = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const [rowOffsets] = useState(() => new RowOffsets(itemKey, heights.current));
  const [scrollTop, setScrollTop] = useState(0);
  const viewHeight = useViewHeight(viewport);
  const [measured, setMeasured] = useState(0);
  const atEnd = useRef(true);
  const count = items.length;

  // eslint-disable-next-line react-hooks/exhaustive-deps -- `measured` invalidates the offsets when row heights were measured
  const offsets = useMemo(() => rowOffsets.of(items, estimate), [rowOffsets, items, measured, estimate]);
  const total = offsets[count]!;

  const first = count === 0 ? 0 : indexAt(offsets, count, Math.max(0, scrollTop - OVERSCAN_PX));
  const last = count === 0 ? -1 : indexAt(offsets, count, scrollTop + viewHeight + OVERSCAN_PX);


  // Switching ends (newest on top / at bottom) starts at the new anchored end.
  useEffect(() => {
    atEnd.current = true;
  }, [anchor]);

  // The row under the top of the viewport and how far into it the viewport starts: kept in
  // place across renders (rows inserted above, heights measured), unless the user sits at the end.
  const anchorRow = useRef<{ key: string; delta: number } | null>(null);


  const rememberAnchor = (el: HTMLElement, at: Float64Array) => {
    if (count === 0) {
      anchorRow.current = null;
      return;
    }
    const index = indexAt(at, count, el.scrollTop);
    anchorRow.current = { key: itemKey(items[index]!), delta: el.scrollTop - at[index]! };
  };

  // eslint-disable-next-line react-hooks/exhaustive-deps -- after every render, on purpose: rows are measured as drawn; it settles once heights are known
  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    let changed = false;
    for (const row of el.querySelectorAll<HTMLElement>('[data-vkey]')) {
      const key = row.dataset.vkey!;
      const h = row.offsetHeight;
      if (Math.abs(h - (heights.current.get(key) ?? estimate)) > 0.5) {
        heights.current.set(key, h);
        rowOffsets.measure(Number(row.dataset.vindex), h);
        changed = true;
      }
    }
    const now = changed ? rowOffsets.of(items, estimate) : offsets;
    if (changed) el.querySelector<HTMLElement>('.vlist-inner')!.style.height = `${now[count]}px`;
    if (atEnd.current) {
      const target = anchor === 'bottom' ? el.scrollHeight - el.clientHeight : 0;
      if (Math.abs(el.scrollTop - target) > 1) el.scrollTop = target;
    } else if (anchorRow.current) {
      const { key, delta } = anchorRow.current;
      const index = items.findIndex((item) => itemKey(item) === key);
      if (index >= 0) {
        const target = now[index]! + delta;
        if (Math.abs(el.scrollTop - target) > 1) el.scrollTop = target;
      }
    }
    rememberAnchor(el, now);
    if (changed) setMeasured((n) => n + 1);
    else if (Math.abs(el.scrollTop - scrollTop) > 1) setScrollTop(el.scrollTop);
  });

  useEffect(() => {
    if (!revealKey) return;
    const el = viewport.current;
    const index = items.findIndex((item) => itemKey(item) === revealKey);
    if (!el || index < 0) return;
    atEnd.current = false;
    el.scrollTop = Math.max(0, offsets[index]! - el.clientHeight / 3);
    rememberAnchor(el, offsets);
    setScrollTop(el.scrollTop);
    // Only when asked to reveal another row.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revealKey]);

  const onScroll = () => {
    const el = viewport.current;
    if (!el) return;
    atEnd.current = anchor === 'bottom' ? el.scrollHeight - el.scrollTop - el.clientHeight < 24 : el.scrollTop < 24;
    rememberAnchor(el, offsets);
    setScrollTop(el.scrollTop);
  };

  const rows: VNode[] = [];
  for (let i = first; i <= last; i++) {
    const item = items[i]!;
    const key = itemKey(item);
    rows.push(
      <div
        key={key}
        class="vrow"
        role="listitem"
        aria-setsize={count}
        aria-posinset={i + 1}
        data-vkey={key}
        data-vindex={i}
        style={{ transform: `translateY(${offsets[i]}px)` }}
      >
        {render(item, i)}
      </div>,
    );
  }

  return (
    <div class="vlist" ref={viewport} onScroll={onScroll} tabIndex={0} id={id} aria-label={label} data-testid="log-list">
      {count === 0 && empty}
      <div class="vlist-inner" role="list" aria-label={label} style={{ height: `${total}px` }}>
        {rows}
      </div>
    </div>
  );
}
