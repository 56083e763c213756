import type { TimelineEvent } from '../../shared/timeline/events';
import { MAX_POINTS, marksFor, prepare, windows } from '../../client/web/src/timeline/picture';
import { MIN_SPAN_MS, clampWindow, panBy, span, zoomAt } from '../../client/web/src/timeline/zoom';
import { fromLocalInput, toLocalInput } from '../../client/web/src/timeline/time';

/** The browser timeline's pure parts: zoom/pan arithmetic and which events are drawn one by one. */

const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const extent = { fromMs: T0, toMs: T0 + 10 * 3_600_000 };

function logEvent(i: number, atMs: number, extra: { key?: boolean; category?: 'information' | 'alert'; severity?: 'low' | 'critical' } = {}): TimelineEvent {
  return {
    id: `log:${i + 1}:0`,
    kind: 'log.entry',
    at: new Date(atMs).toISOString(),
    eventAt: null,
    author: 'Alice',
    authorId: 'u1',
    ref: null,
    data: {
      entryId: `entry${String(i).padStart(6, '0')}`,
      category: extra.category ?? 'information',
      severity: extra.severity ?? 'low',
      verification: 'to_check',
      key: extra.key ?? false,
      text: `entrée ${i}`,
      source: null,
      tags: [],
      amends: null,
      writtenBy: 'Alice',
    },
  };
}

describe('timeline window arithmetic', () => {
  test('zooming in keeps the anchor where it is on screen and halves the span', () => {
    const w = { fromMs: T0, toMs: T0 + 3_600_000 };
    const anchor = T0 + 900_000;
    const z = zoomAt(w, 0.5, anchor, extent);
    expect(span(z)).toBe(1_800_000);
    expect((anchor - z.fromMs) / span(z)).toBeCloseTo((anchor - w.fromMs) / span(w));
  });

  test('zoom stops at the smallest span and at the whole extent', () => {
    let w = { fromMs: T0, toMs: T0 + 3_600_000 };
    for (let i = 0; i < 30; i++) w = zoomAt(w, 0.5, T0 + 1_000, extent);
    expect(span(w)).toBe(MIN_SPAN_MS);
    for (let i = 0; i < 30; i++) w = zoomAt(w, 2, T0, extent);
    expect(w).toEqual(extent);
  });

  test('panning shifts without resizing and never leaves the extent', () => {
    const w = { fromMs: T0 + 3_600_000, toMs: T0 + 7_200_000 };
    expect(panBy(w, 600_000, extent)).toEqual({ fromMs: w.fromMs + 600_000, toMs: w.toMs + 600_000 });
    expect(panBy(w, -100 * 3_600_000, extent)).toEqual({ fromMs: extent.fromMs, toMs: extent.fromMs + 3_600_000 });
    expect(panBy(w, 100 * 3_600_000, extent)).toEqual({ fromMs: extent.toMs - 3_600_000, toMs: extent.toMs });
    expect(clampWindow({ fromMs: T0, toMs: T0 }, extent).toMs - T0).toBe(MIN_SPAN_MS);
  });

  test('the local date-time field value round-trips', () => {
    const ms = T0 + 12_345_000;
    expect(fromLocalInput(toLocalInput(ms))).toBe(ms);
    expect(fromLocalInput('garbage')).toBeNull();
  });
});

describe('timeline marks', () => {
  const events = Array.from({ length: 2_000 }, (_, i) => logEvent(i, T0 + i * 10_000, i % 100 === 0 ? { key: true } : i % 150 === 1 ? { category: 'alert', severity: 'critical' } : {}));
  const prepared = prepare(events);

  test('zoomed in, every event of the window is a mark, in its lane, with its index', () => {
    const w = { fromMs: T0, toMs: T0 + 99 * 10_000 };
    const m = marksFor(prepared, w);
    expect(m.complete).toBe(true);
    expect(m.inWindow).toBe(100);
    expect(m.data.marks.map((x) => Number(x.title))).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(m.data.marks[0]).toMatchObject({ lane: 'log:information', shape: 'star' });
    expect(m.data.marks[1]).toMatchObject({ lane: 'log:alert', shape: 'triangle' });
    expect(m.data.marks[2]).toMatchObject({ lane: 'log:information', shape: 'circle' });
  });

  test('zoomed out, only highlighted events are marks, at most MAX_POINTS, spread over the window', () => {
    const m = marksFor(prepared, { fromMs: T0, toMs: T0 + 2_000 * 10_000 });
    expect(m.complete).toBe(false);
    expect(m.inWindow).toBe(2_000);
    expect(m.data.marks.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(m.data.marks.every((x) => x.shape !== 'circle')).toBe(true);
    expect(m.data.marks.length).toBe(20 + 14); // 20 key facts, 14 critical alerts
    expect(m.data.times.length).toBe(2_000); // the density bars still count every event
  });

  test('the fit window covers the events; the extent reaches the deadlines', () => {
    const { fit, extent: ext } = windows({ openedAt: new Date(T0).toISOString(), detectedAt: null, closedAt: null }, prepared, [{ due: new Date(T0 + 72 * 3_600_000).toISOString() }], T0 + 20_000_000);
    expect(fit.fromMs).toBeLessThanOrEqual(T0);
    expect(fit.toMs).toBeGreaterThanOrEqual(T0 + 1_999 * 10_000);
    expect(ext.toMs).toBeGreaterThan(T0 + 72 * 3_600_000);
  });
});
