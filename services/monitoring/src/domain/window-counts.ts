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

/** A categorical feature's counts: the baseline's categories by position, then the missing count; values the baseline did not have apart. */
export interface CategoryCounts {
  known: number[];
  unseen: Record<string, number>;
}

/**
 * What one (sub-)window saw, as fixed-size counts shaped by the baseline: memory depends on the
 * number of features, bins, classes and groups (all capped), never on traffic. Plain JSON data,
 * updated in place on the hot path; features are by their position in the layout.
 */
export interface WindowCounts {
  count: number;
  labelled: number;
  firstEventTime: number | null;
  lastEventTime: number | null;
  /**
   * Every numeric feature's counts in one array, feature after feature in `layout.numeric` order
   * (`numericCountsOf` gives one feature's): its baseline bins, then its missing count. One array,
   * not one per feature: counting a prediction touches every feature's, for one of many model
   * versions at a time, and each array of its own was another object to reach in memory.
   */
  numeric: number[];
  /**
   * Every categorical feature's counts in one array, feature after feature in `layout.categorical`
   * order (`categoryCountsOf` gives one feature's): its baseline categories, then its missing count.
   */
  categorical: number[];
  /** By `layout.categorical` position: the values the baseline did not have, and their counts. */
  unseen: Array<Record<string, number>>;
  /** `${truth}\u001f${predicted}` → count. */
  confusion: Record<string, number>;
  /** Score histograms of labelled positives and negatives. */
  scores: { positive: number[]; negative: number[] };
  groups: Record<string, Record<string, GroupCounts>>;
}

/** A numeric feature's bins: the training profile's edges, and how to find a value's bin fast. */
export interface NumericBins {
  readonly name: string;
  readonly edges: readonly number[];
  /** The first edge, and 1 / the spacing of the edges when they are equally spaced (training profiles' equal-width bins); 0 otherwise. */
  readonly origin: number;
  readonly inverseStep: number;
  /**
   * How close (in steps) to a whole number of steps from `origin` a value may be and still lie by
   * arithmetic in the bin it seems to: the edges' own distance from an exact spacing, plus what
   * rounding can move either. Closer than that, the edges decide.
   */
  readonly margin: number;
}

/** The shape of the training data a window is counted on: bin edges and categories per feature. */
export interface WindowLayout {
  readonly numeric: readonly NumericBins[];
  /**
   * Per numeric feature, BINNING_FIELDS doubles side by side: its `origin`, `inverseStep`,
   * `margin`, number of edges, and where its counts start in `WindowCounts.numeric` (as in
   * `numericAt`, kept beside the rest). Counting reads these for every value; from one array they take
   * a few cache lines per layout, where the bins' objects (each double in a box of its own) took
   * several per feature, and a monitor counts for one of many model versions at a time.
   */
  readonly binning: Float64Array;
  readonly categorical: ReadonlyArray<{ readonly name: string; readonly categories: readonly string[]; readonly index: ReadonlyMap<string, number> }>;
  /** Where each numeric feature's counts start in `WindowCounts.numeric`, and (last) their length. */
  readonly numericAt: Int32Array;
  /** Where each categorical feature's counts start in `WindowCounts.categorical`, and (last) their length. */
  readonly categoricalAt: Int32Array;
}

/** An observed categorical value that is missing or blank. */
export const MISSING = -1;
/** An observed categorical value the baseline did not have (the value is in `Observation.unseen`). */
export const UNSEEN = -2;

/** Doubles per numeric feature in `WindowLayout.binning`. */
const BINNING_FIELDS = 5;
/** Where a feature's counts start in `WindowCounts.numeric`, in `WindowLayout.binning`. */
const COUNTS_AT = 4;

export function layoutOf(baseline: readonly ColumnProfile[]): WindowLayout {
  const numeric = baseline.filter((c) => c.kind === 'numeric').map((c) => numericBins(c.name, c.binEdges));
  // Per feature: its bins between and beyond the edges, then its missing count.
  const numericAt = starts(numeric.map((bins) => bins.edges.length + 2));
  const categorical = baseline.filter((c) => c.kind === 'categorical').map((c) => {
    // A blank value counts as missing, whatever the training data held.
    const categories = Object.keys(c.categoryCounts).filter((category) => category.trim() !== '');
    return { name: c.name, categories, index: new Map(categories.map((category, i) => [category, i])) };
  });
  // Per feature: its categories, then its missing count.
  const categoricalAt = starts(categorical.map((feature) => feature.categories.length + 1));
  return {
    numeric,
    binning: Float64Array.from(numeric.flatMap((bins, f) => [bins.origin, bins.inverseStep, bins.margin, bins.edges.length, numericAt[f]!])),
    numericAt,
    categorical,
    categoricalAt,
  };
}

/** Where each part of one array of counts starts, given the parts' sizes, and (last) the array's length. */
function starts(sizes: readonly number[]): Int32Array {
  const at = new Int32Array(sizes.length + 1);
  sizes.forEach((size, i) => (at[i + 1] = at[i]! + size));
  return at;
}

/** Numeric feature `feature`'s counts (a copy): its baseline bins, then its missing count. */
export function numericCountsOf(counts: WindowCounts, layout: WindowLayout, feature: number): number[] {
  return counts.numeric.slice(layout.numericAt[feature], layout.numericAt[feature + 1]);
}

/** Categorical feature `feature`'s counts (`known` a copy). */
export function categoryCountsOf(counts: WindowCounts, layout: WindowLayout, feature: number): CategoryCounts {
  return { known: counts.categorical.slice(layout.categoricalAt[feature], layout.categoricalAt[feature + 1]), unseen: counts.unseen[feature]! };
}

/**
 * A window's counts as an earlier version stored them, in today's shape: numeric counts were an
 * array per feature, categorical ones a `CategoryCounts` per feature. Counts already in today's
 * shape are returned as they are.
 */
export function countsInCurrentShape(counts: WindowCounts): WindowCounts {
  const numeric = counts.numeric as Array<number | number[]>;
  const categorical = counts.categorical as Array<number | CategoryCounts>;
  const numericAsStored = numeric.some((bins) => Array.isArray(bins));
  // Stored so, a window had no `unseen` of its own (its features' were in their CategoryCounts).
  const categoricalAsStored = !Array.isArray((counts as { unseen?: unknown }).unseen);
  if (!numericAsStored && !categoricalAsStored) return counts;
  return {
    ...counts,
    numeric: numericAsStored ? (numeric as number[][]).flat() : counts.numeric,
    ...(categoricalAsStored ? {
      categorical: (categorical as CategoryCounts[]).flatMap((feature) => feature.known),
      unseen: (categorical as CategoryCounts[]).map((feature) => feature.unseen),
    } : {}),
  };
}

export function emptyCounts(layout: WindowLayout): WindowCounts {
  return {
    count: 0, labelled: 0, firstEventTime: null, lastEventTime: null,
    numeric: new Array<number>(layout.numericAt[layout.numeric.length]!).fill(0),
    categorical: new Array<number>(layout.categoricalAt[layout.categorical.length]!).fill(0),
    unseen: layout.categorical.map(() => ({})),
    confusion: {},
    scores: { positive: new Array<number>(SCORE_BINS).fill(0), negative: new Array<number>(SCORE_BINS).fill(0) },
    groups: {},
  };
}

/** How far an edge may lie from an equal spacing (in steps) for its bins to be found by arithmetic. */
const SPACING_TOLERANCE = 0.01;

export function numericBins(name: string, edges: readonly number[]): NumericBins {
  const n = edges.length;
  const first = edges[0] ?? 0;
  const step = n >= 2 ? (edges[n - 1]! - first) / (n - 1) : 0;
  let deviation = Number.POSITIVE_INFINITY;
  if (step > 0 && Number.isFinite(step)) {
    deviation = 0;
    for (let i = 0; i < n; i += 1) deviation = Math.max(deviation, Math.abs(edges[i]! - (first + i * step)) / step);
  }
  // Rounding in the edges' spacing just measured and in a value's arithmetic below: a few units in the
  // last place of the largest magnitude in play (a value within a step of the edges), in steps.
  const rounding = (64 * Number.EPSILON * (Math.abs(first) + Math.abs(edges[n - 1] ?? 0) + 2 * step)) / step + 1e-12;
  const margin = deviation + rounding;
  const equallySpaced = margin <= SPACING_TOLERANCE;
  return { name, edges, origin: equallySpaced ? first : 0, inverseStep: equallySpaced ? 1 / step : 0, margin: equallySpaced ? margin : 0 };
}

/**
 * Same convention as the training profile: bin i is [edges[i-1], edges[i]), i.e. the number of
 * edges at or below the value (a finite number). `feature` is the value's position in the layout.
 */
function binOf(value: number, layout: WindowLayout, feature: number): number {
  const binning = layout.binning;
  const at = feature * BINNING_FIELDS;
  const inverseStep = binning[at + 1]!;
  if (inverseStep > 0) {
    // Equally spaced edges: the bin by arithmetic. Counting scanned every edge of every feature
    // (15% of the service's main thread in bench:monitoring); reading even two edges per value
    // still missed the CPU's caches (100 model versions × 20 features of edges), so a value
    // clear of every edge by `margin` needs none.
    const steps = (value - binning[at]!) * inverseStep;
    const margin = binning[at + 2]!;
    const edgeCount = binning[at + 3]!;
    if (steps < -margin) return 0;
    if (steps > edgeCount - 1 + margin) return edgeCount;
    const whole = Math.floor(steps);
    const fraction = steps - whole;
    if (fraction > margin && fraction < 1 - margin) return whole + 1;
    // Within `margin` of an edge: the edges decide, from the bin the arithmetic gave.
    const edges = layout.numeric[feature]!.edges;
    let bin = Math.min(Math.max(whole + 1, 0), edges.length);
    while (bin > 0 && edges[bin - 1]! > value) bin -= 1;
    while (bin < edges.length && edges[bin]! <= value) bin += 1;
    return bin;
  }
  const edges = layout.numeric[feature]!.edges;
  if (edges.length <= 16) {
    // The number of edges at or below the value, without a branch per edge: a binary search's
    // branches are as random as the data, and mispredicting them cost more than this whole scan.
    let bin = 0;
    for (let i = 0; i < edges.length; i += 1) bin += +(edges[i]! <= value);
    return bin;
  }
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edges[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function countUnseen(unseen: Record<string, number>, value: string): void {
  if (unseen[value] !== undefined) unseen[value] += 1;
  else if (Object.keys(unseen).length < MAX_UNKNOWN_CATEGORIES) unseen[value] = 1;
  else unseen[OTHER] = (unseen[OTHER] ?? 0) + 1;
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

/**
 * One prediction as a window counts it: features by their position in the layout, so counting
 * looks nothing up by name. Ingestion fills one and reuses it (see `observe`).
 */
export interface Observation {
  eventTime: number;
  /** By `layout.numeric` position; NaN when missing or not finite. */
  readonly numeric: Float64Array;
  /** By `layout.categorical` position: the category's index in the layout, `MISSING` or `UNSEEN`. */
  readonly category: Int32Array;
  /** By `layout.categorical` position: the value, when it is `UNSEEN`. */
  readonly unseen: string[];
  predictedClass: string | null;
  /** NaN when the prediction has none: a field that is only ever a double is updated in place, one that may be null takes a heap number per score. */
  score: number;
  protectedAttributes: Readonly<Record<string, string>>;
  groundTruth: string | null;
}

export function emptyObservation(layout: WindowLayout): Observation {
  return {
    eventTime: 0, numeric: new Float64Array(layout.numeric.length).fill(Number.NaN),
    category: new Int32Array(layout.categorical.length).fill(MISSING), unseen: layout.categorical.map(() => ''),
    predictedClass: null, score: Number.NaN, protectedAttributes: {}, groundTruth: null,
  };
}

/** A decoded prediction as an observation on `layout` (features the layout does not know are not counted). */
export function observe(layout: WindowLayout, prediction: Prediction, into: Observation = emptyObservation(layout)): Observation {
  into.eventTime = prediction.eventTime;
  layout.numeric.forEach((feature, i) => {
    const value = prediction.numericFeatures[feature.name];
    into.numeric[i] = typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN;
  });
  layout.categorical.forEach((feature, i) => {
    const value = prediction.categoricalFeatures[feature.name];
    const category = typeof value === 'string' && value.trim() !== '' ? feature.index.get(value) ?? UNSEEN : MISSING;
    into.category[i] = category;
    into.unseen[i] = category === UNSEEN ? (value as string) : '';
  });
  into.predictedClass = prediction.predictedClass;
  into.score = prediction.score ?? Number.NaN;
  into.protectedAttributes = prediction.protectedAttributes;
  into.groundTruth = prediction.groundTruth;
  return into;
}

function classCount(confusion: Record<string, number>): number {
  return new Set(Object.keys(confusion).flatMap((k) => k.split('\u001f'))).size;
}

/** Counts a ground-truth label for a prediction (at prediction time or when its outcome arrives). */
export function countLabel(counts: WindowCounts, target: LabelTarget, truth: string, positiveClass: string): void {
  counts.labelled += 1;
  const predicted = target.predictedClass ?? '';
  const key = `${truth}\u001f${predicted}`;
  const cell = counts.confusion[key];
  // Only a new cell can bring a new class; the cap is checked then, not per label.
  if (cell !== undefined) counts.confusion[key] = cell + 1;
  else if (classCount(counts.confusion) < MAX_CLASSES) counts.confusion[key] = 1;
  const positive = truth === positiveClass;
  if (target.score !== null && Number.isFinite(target.score)) (positive ? counts.scores.positive : counts.scores.negative)[scoreBin(target.score)]! += 1;
  const predictedPositive = predicted === positiveClass;
  for (const attribute in target.protectedAttributes) {
    const entry = groupOf(counts, attribute, target.protectedAttributes[attribute]!);
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
export function countPrediction(counts: WindowCounts, layout: WindowLayout, observation: Observation, positiveClass: string): void {
  counts.count += 1;
  const time = observation.eventTime;
  if (counts.firstEventTime === null || time < counts.firstEventTime) counts.firstEventTime = time;
  if (counts.lastEventTime === null || time > counts.lastEventTime) counts.lastEventTime = time;
  const numeric = observation.numeric;
  const all = counts.numeric;
  const binning = layout.binning;
  for (let i = 0; i < layout.numeric.length; i += 1) {
    const value = numeric[i]!;
    const at = binning[i * BINNING_FIELDS + COUNTS_AT]!;
    // NaN (missing) is the one value not equal to itself; its count follows the bins.
    all[at + (value === value ? binOf(value, layout, i) : binning[i * BINNING_FIELDS + 3]! + 1)]! += 1;
  }
  const categories = observation.category;
  const known = counts.categorical;
  const categoricalAt = layout.categoricalAt;
  for (let i = 0; i < layout.categorical.length; i += 1) {
    const category = categories[i]!;
    // The missing count follows the feature's categories.
    if (category >= 0) known[categoricalAt[i]! + category]! += 1;
    else if (category === MISSING) known[categoricalAt[i + 1]! - 1]! += 1;
    else countUnseen(counts.unseen[i]!, observation.unseen[i]!);
  }
  const predictedPositive = observation.predictedClass === positiveClass;
  for (const attribute in observation.protectedAttributes) {
    const entry = groupOf(counts, attribute, observation.protectedAttributes[attribute]!);
    if (entry === null) continue;
    entry[0] += 1;
    if (predictedPositive) entry[1] += 1;
  }
  if (observation.groundTruth !== null) countLabel(counts, observation, observation.groundTruth, positiveClass);
}

/** The sum of several windows' counts (a sliding window over its sub-windows). */
export function mergeCounts(layout: WindowLayout, parts: readonly WindowCounts[]): WindowCounts {
  const total = emptyCounts(layout);
  for (const part of parts) {
    total.count += part.count;
    total.labelled += part.labelled;
    if (part.firstEventTime !== null) total.firstEventTime = Math.min(total.firstEventTime ?? part.firstEventTime, part.firstEventTime);
    if (part.lastEventTime !== null) total.lastEventTime = Math.max(total.lastEventTime ?? part.lastEventTime, part.lastEventTime);
    part.numeric.forEach((c, i) => (total.numeric[i]! += c));
    part.categorical.forEach((c, i) => (total.categorical[i]! += c));
    part.unseen.forEach((unseen, f) => {
      const into = total.unseen[f]!;
      for (const [value, c] of Object.entries(unseen)) into[value] = (into[value] ?? 0) + c;
    });
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
