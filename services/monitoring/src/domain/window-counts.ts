import type { ColumnProfile, Prediction } from '@mgov/contracts';

/** Distinct values a window keeps apart beyond its fixed shape; the rest are pooled under OTHER. */
export const MAX_UNKNOWN_CATEGORIES = 100;
export const MAX_CLASSES = 50;
export const MAX_GROUPS = 50;
export const MAX_ATTRIBUTES = 10;
export const OTHER = '__other__';
/** Score bins on [0, 1] for ROC AUC. */
export const SCORE_BINS = 50;

/** Per group: predictions, predicted positive, labelled positive, true positive, labelled negative, false positive. */
export type GroupCounts = [number, number, number, number, number, number];

/**
 * What one (sub-)window saw, as fixed-size counts shaped by the baseline: memory depends on the
 * number of features, bins, classes and groups (all capped), never on traffic. Plain JSON data,
 * updated in place on the hot path.
 */
export interface WindowCounts {
  count: number;
  labelled: number;
  firstEventTime: number | null;
  lastEventTime: number | null;
  /** Baseline bins, then the missing count. */
  numeric: Record<string, number[]>;
  /** Baseline categories start at 0; `''` counts missing values. */
  categorical: Record<string, Record<string, number>>;
  /** `${truth}\u001f${predicted}` → count. */
  confusion: Record<string, number>;
  /** Score histograms of labelled positives and negatives. */
  scores: { positive: number[]; negative: number[] };
  groups: Record<string, Record<string, GroupCounts>>;
}

/** The shape of the training data a window is counted on: bin edges and categories per feature. */
export interface WindowLayout {
  readonly numeric: ReadonlyArray<{ readonly name: string; readonly edges: readonly number[] }>;
  readonly categorical: ReadonlyArray<{ readonly name: string; readonly categories: readonly string[] }>;
}

export function layoutOf(baseline: readonly ColumnProfile[]): WindowLayout {
  return {
    numeric: baseline.filter((c) => c.kind === 'numeric').map((c) => ({ name: c.name, edges: c.binEdges })),
    categorical: baseline.filter((c) => c.kind === 'categorical').map((c) => ({ name: c.name, categories: Object.keys(c.categoryCounts) })),
  };
}

export function emptyCounts(layout: WindowLayout): WindowCounts {
  return {
    count: 0, labelled: 0, firstEventTime: null, lastEventTime: null,
    numeric: Object.fromEntries(layout.numeric.map((f) => [f.name, new Array<number>(f.edges.length + 2).fill(0)])),
    categorical: Object.fromEntries(layout.categorical.map((f) => [f.name, Object.fromEntries(f.categories.map((c) => [c, 0]))])),
    confusion: {},
    scores: { positive: new Array<number>(SCORE_BINS).fill(0), negative: new Array<number>(SCORE_BINS).fill(0) },
    groups: {},
  };
}

/** Same convention as the training profile: bin i is [edges[i-1], edges[i]). */
function binOf(value: number, edges: readonly number[]): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edges[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function bump(record: Record<string, number>, key: string, cap: number, baseSize: number): void {
  const current = record[key];
  if (current !== undefined) record[key] = current + 1;
  else if (Object.keys(record).length - baseSize < cap) record[key] = 1;
  else record[OTHER] = (record[OTHER] ?? 0) + 1;
}

function groupOf(counts: WindowCounts, attribute: string, group: string): GroupCounts | null {
  let groups = counts.groups[attribute];
  if (groups === undefined) {
    if (Object.keys(counts.groups).length >= MAX_ATTRIBUTES) return null;
    groups = counts.groups[attribute] = {};
  }
  let entry = groups[group];
  if (entry === undefined) {
    const key = Object.keys(groups).length >= MAX_GROUPS ? OTHER : group;
    entry = groups[key] ??= [0, 0, 0, 0, 0, 0];
  }
  return entry;
}

const scoreBin = (score: number) => Math.min(SCORE_BINS - 1, Math.max(0, Math.floor(score * SCORE_BINS)));

/** What a label needs of its prediction, kept while the outcome may still arrive. */
export interface LabelTarget {
  readonly predictedClass: string | null;
  readonly score: number | null;
  readonly protectedAttributes: Readonly<Record<string, string>>;
}

/** Counts a ground-truth label for a prediction (at prediction time or when its outcome arrives). */
export function countLabel(counts: WindowCounts, target: LabelTarget, truth: string, positiveClass: string): void {
  counts.labelled += 1;
  const predicted = target.predictedClass ?? '';
  const classes = new Set(Object.keys(counts.confusion).flatMap((k) => k.split('\u001f'))).size;
  const key = `${truth}\u001f${predicted}`;
  if (counts.confusion[key] !== undefined || classes < MAX_CLASSES) counts.confusion[key] = (counts.confusion[key] ?? 0) + 1;
  const positive = truth === positiveClass;
  if (target.score !== null && Number.isFinite(target.score)) (positive ? counts.scores.positive : counts.scores.negative)[scoreBin(target.score)]! += 1;
  const predictedPositive = predicted === positiveClass;
  for (const [attribute, group] of Object.entries(target.protectedAttributes)) {
    const entry = groupOf(counts, attribute, group);
    if (entry === null) continue;
    if (positive) {
      entry[2] += 1;
      if (predictedPositive) entry[3] += 1;
    } else {
      entry[4] += 1;
      if (predictedPositive) entry[5] += 1;
    }
  }
}

/** Counts one prediction into the window (features, selection per group, and its label if it has one). */
export function countPrediction(counts: WindowCounts, layout: WindowLayout, prediction: Prediction, positiveClass: string): void {
  counts.count += 1;
  const time = prediction.eventTime;
  if (counts.firstEventTime === null || time < counts.firstEventTime) counts.firstEventTime = time;
  if (counts.lastEventTime === null || time > counts.lastEventTime) counts.lastEventTime = time;
  const numeric = prediction.numericFeatures;
  for (const feature of layout.numeric) {
    const bins = counts.numeric[feature.name]!;
    const value = numeric[feature.name];
    if (typeof value === 'number' && Number.isFinite(value)) bins[binOf(value, feature.edges)]! += 1;
    else bins[bins.length - 1]! += 1;
  }
  const categorical = prediction.categoricalFeatures;
  for (const feature of layout.categorical) {
    const value = categorical[feature.name];
    bump(counts.categorical[feature.name]!, typeof value === 'string' && value.trim() !== '' ? value : '', MAX_UNKNOWN_CATEGORIES, feature.categories.length);
  }
  const predictedPositive = prediction.predictedClass === positiveClass;
  for (const attribute in prediction.protectedAttributes) {
    const entry = groupOf(counts, attribute, prediction.protectedAttributes[attribute]!);
    if (entry === null) continue;
    entry[0] += 1;
    if (predictedPositive) entry[1] += 1;
  }
  if (prediction.groundTruth !== null) countLabel(counts, prediction, prediction.groundTruth, positiveClass);
}

/** The sum of several windows' counts (a sliding window over its sub-windows). */
export function mergeCounts(layout: WindowLayout, parts: readonly WindowCounts[]): WindowCounts {
  const total = emptyCounts(layout);
  for (const part of parts) {
    total.count += part.count;
    total.labelled += part.labelled;
    if (part.firstEventTime !== null) total.firstEventTime = Math.min(total.firstEventTime ?? part.firstEventTime, part.firstEventTime);
    if (part.lastEventTime !== null) total.lastEventTime = Math.max(total.lastEventTime ?? part.lastEventTime, part.lastEventTime);
    for (const [name, bins] of Object.entries(part.numeric)) {
      const into = total.numeric[name];
      if (into) bins.forEach((c, i) => (into[i]! += c));
    }
    for (const [name, categories] of Object.entries(part.categorical)) {
      const into = (total.categorical[name] ??= {});
      for (const [category, c] of Object.entries(categories)) into[category] = (into[category] ?? 0) + c;
    }
    for (const [key, c] of Object.entries(part.confusion)) total.confusion[key] = (total.confusion[key] ?? 0) + c;
    part.scores.positive.forEach((c, i) => (total.scores.positive[i]! += c));
    part.scores.negative.forEach((c, i) => (total.scores.negative[i]! += c));
    for (const [attribute, groups] of Object.entries(part.groups)) {
      const into = (total.groups[attribute] ??= {});
      for (const [group, c] of Object.entries(groups)) {
        const entry = (into[group] ??= [0, 0, 0, 0, 0, 0]);
        c.forEach((value, i) => (entry[i]! += value));
      }
    }
  }
  return total;
}
