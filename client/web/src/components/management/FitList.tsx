import type { VNode } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../common/common';

export interface FitRow {
  key: string;
  node: VNode;
  /** Counted in "+N" when it does not fit (a heading is not: it is dropped with its last row). */
  counts: boolean;
}

/**
 * A wall list that never clips in silence: it shows the rows that fit in its box, whole, and
 * counts the others in "+N more". Where the box grows with its content (a narrow screen, where
 * the page scrolls), everything is shown. Measured again when the rows or the box change size.
 */
export function FitList({ rows, testId, tag = 'ol' }: { rows: FitRow[]; testId: string; tag?: 'ol' | 'ul' }) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(rows.length);
  const [size, setSize] = useState(0);
  const signature = rows.map((r) => r.key).join('|');

  useLayoutEffect(() => setShown(rows.length), [signature, size, rows.length]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const ro = new ResizeObserver(() => setSize(el.clientHeight * 10_000 + el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // After every render, on purpose: the rows are measured as drawn, and `shown` only ever shrinks
  // here (to what fits), so this settles in a render or two.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- measured after every render (see above)
  useLayoutEffect(() => {
    const el = box.current;
    if (!el || shown === 0 || el.scrollHeight <= el.clientHeight + 1) return;
    // Too tall: keep the rows whose bottom is above the box's bottom, less room for the "+N" line.
    const limit = el.getBoundingClientRect().bottom - (el.querySelector<HTMLElement>('.fit-more')?.offsetHeight ?? 40) - 8;
    const items = [...el.querySelectorAll<HTMLElement>(':scope > .fit-rows > li')];
    let fit = 0;
    while (fit < items.length && items[fit]!.getBoundingClientRect().bottom <= limit) fit += 1;
    // A heading left last, without its rows, goes too.
    while (fit > 0 && !rows[fit - 1]!.counts) fit -= 1;
    if (fit < shown) setShown(fit);
  });

  const visible = rows.slice(0, shown);
  const more = rows.slice(shown).filter((r) => r.counts).length;
  const Tag = tag;
  return (
    <div class="fit-list" ref={box}>
      <Tag class="fit-rows">{visible.map((r) => r.node)}</Tag>
      {more > 0 && (
        <p class="fit-more" data-testid={testId} data-more={more}>
          {t.layout.moreItems(more)}
        </p>
      )}
    </div>
  );
}
