import type { MonitoringPolicy } from './monitoring-policy';
import { countLabel, countPrediction, countsInCurrentShape, emptyCounts, type LabelTarget, mergeCounts, type Observation, type WindowCounts, type WindowLayout } from './window-counts';
import type { WindowDescriptor } from './monitor';

/**
 * A model version's windows: a ring of `size / slide` sub-window counts (one for tumbling windows).
 * Each closed sub-window closes the window made of the last ring's worth of them, so memory is
 * the ring's fixed size whatever the traffic.
 */
export interface WindowRing {
  readonly unit: 'events' | 'ms';
  readonly size: number;
  readonly slide: number;
  readonly slots: WindowCounts[];
  /** Index of the open sub-window: counted from 0 (events) or event time / slide (ms). */
  openIndex: number;
  /** Sub-windows closed so far (a sliding window is judged once the ring has filled). */
  closed: number;
  /** Predictions older than the open sub-window (ms windows): counted, not windowed. */
  late: number;
}

export interface ClosedWindow {
  readonly descriptor: WindowDescriptor;
  readonly counts: WindowCounts;
}

export function newRing(layout: WindowLayout, policy: MonitoringPolicy): WindowRing {
  const { unit, size, slide } = policy.window;
  return { unit, size, slide, slots: Array.from({ length: size / slide }, () => emptyCounts(layout)), openIndex: -1, closed: 0, late: 0 };
}

/** A ring as an earlier version may have stored it, in today's shape (see `countsInCurrentShape`). */
export function ringInCurrentShape(ring: WindowRing): WindowRing {
  return { ...ring, slots: ring.slots.map(countsInCurrentShape) };
}

function close(ring: WindowRing, layout: WindowLayout): ClosedWindow | null {
  const k = ring.slots.length;
  ring.closed += 1;
  const counts = k === 1 ? ring.slots[0]! : mergeCounts(layout, ring.slots);
  const full = ring.unit === 'ms' || ring.closed >= k;
  if (!full || counts.count === 0) return null;
  return {
    descriptor: {
      index: ring.openIndex, kind: k === 1 ? 'tumbling' : 'sliding', unit: ring.unit, size: ring.size,
      start: counts.firstEventTime!, end: counts.lastEventTime!, predictionCount: counts.count,
    },
    counts,
  };
}

function advance(ring: WindowRing, layout: WindowLayout, to: number): void {
  const k = ring.slots.length;
  // Sub-windows skipped without traffic are empty; more than a ring's worth just empties the ring.
  for (let i = Math.max(ring.openIndex + 1, to - k + 1); i <= to; i += 1) ring.slots[((i % k) + k) % k] = emptyCounts(layout);
  ring.openIndex = to;
}

/** What most predictions close: shared, so counting one allocates nothing. */
const NONE: readonly ClosedWindow[] = Object.freeze([]);

/** Counts a prediction; returns the windows it closed (to evaluate), oldest first. */
export function addToRing(ring: WindowRing, layout: WindowLayout, prediction: Observation, positiveClass: string): readonly ClosedWindow[] {
  const k = ring.slots.length;
  let closed: ClosedWindow | null = null;
  if (ring.unit === 'ms') {
    const index = Math.floor(prediction.eventTime / ring.slide);
    if (ring.openIndex === -1) advance(ring, layout, index);
    if (index < ring.openIndex) {
      ring.late += 1;
      return NONE;
    }
    if (index > ring.openIndex) {
      closed = close(ring, layout);
      advance(ring, layout, index);
    }
    countPrediction(ring.slots[index % k]!, layout, prediction, positiveClass);
    return closed ? [closed] : NONE;
  }
  if (ring.openIndex === -1) advance(ring, layout, 0);
  const slot = ring.slots[ring.openIndex % k]!;
  countPrediction(slot, layout, prediction, positiveClass);
  if (slot.count >= ring.slide) {
    closed = close(ring, layout);
    advance(ring, layout, ring.openIndex + 1);
  }
  return closed ? [closed] : NONE;
}

/**
 * Closes what event time `watermark` has passed (time windows only): the stream has seen events
 * up to there, so no more may come for the open sub-window. A quiet model's window closes on time,
 * not on its next prediction.
 */
export function closeUntil(ring: WindowRing, layout: WindowLayout, watermark: number): ClosedWindow[] {
  if (ring.unit !== 'ms' || ring.openIndex === -1 || !Number.isFinite(watermark)) return [];
  const index = Math.floor(watermark / ring.slide);
  if (index <= ring.openIndex) return [];
  const window = close(ring, layout);
  advance(ring, layout, index);
  return window ? [window] : [];
}

/** Counts a late-arriving label into the open sub-window. */
export function addLabelToRing(ring: WindowRing, layout: WindowLayout, target: LabelTarget, truth: string, positiveClass: string): void {
  if (ring.openIndex === -1) advance(ring, layout, 0);
  countLabel(ring.slots[ring.openIndex % ring.slots.length]!, target, truth, positiveClass);
}
