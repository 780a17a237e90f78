import type { ColumnProfile, Prediction } from '@mgov/contracts';
import { binIndex, isMissing } from '@mgov/stats';

/** Distinct categories unseen in training that a window keeps apart, per feature. */
export const MAX_UNKNOWN_CATEGORIES = 100;
/** Where unseen categories go once a feature has kept `MAX_UNKNOWN_CATEGORIES` apart. */
export const OTHER_CATEGORY = '__other__';

export type FeatureCounts =
  | {
      readonly kind: 'numeric';
      /** The baseline's interior edges: the window is binned exactly as training was. */
      readonly binEdges: readonly number[];
      readonly binCounts: readonly number[];
      readonly missing: number;
    }
  | {
      readonly kind: 'categorical';
      /** Starts with every baseline category at 0, so a key not in it is one training never saw. */
      readonly categoryCounts: Readonly<Record<string, number>>;
      readonly unknownCategories: number;
      readonly missing: number;
    };

/**
 * What a model version's inputs looked like over one window: fixed-size counts per baseline
 * feature, so memory depends on the baseline's shape and never on traffic. Plain data (JSON-safe).
 */
export interface DriftWindow {
  readonly features: Readonly<Record<string, FeatureCounts>>;
  readonly predictionCount: number;
  /** Earliest and latest prediction event time in the window (epoch ms); null while empty. */
  readonly firstEventTime: number | null;
  readonly lastEventTime: number | null;
}

function emptyCounts(column: ColumnProfile): FeatureCounts {
  if (column.kind === 'numeric') {
    return { kind: 'numeric', binEdges: [...column.binEdges], binCounts: new Array<number>(column.binEdges.length + 1).fill(0), missing: 0 };
  }
  const categoryCounts = Object.fromEntries(Object.keys(column.categoryCounts).map((category) => [category, 0]));
  return { kind: 'categorical', categoryCounts, unknownCategories: 0, missing: 0 };
}

/** A window with no predictions yet, shaped by the training dataset's column profiles. */
export function emptyWindow(baseline: readonly ColumnProfile[]): DriftWindow {
  const features = Object.fromEntries(baseline.map((column) => [column.name, emptyCounts(column)]));
  return { features, predictionCount: 0, firstEventTime: null, lastEventTime: null };
}

function countNumeric(counts: Extract<FeatureCounts, { kind: 'numeric' }>, value: number | null | undefined): FeatureCounts {
  if (typeof value !== 'number' || !Number.isFinite(value)) return { ...counts, missing: counts.missing + 1 };
  const binCounts = [...counts.binCounts];
  binCounts[binIndex(value, counts.binEdges)]! += 1;
  return { ...counts, binCounts };
}

function countCategorical(counts: Extract<FeatureCounts, { kind: 'categorical' }>, value: string | null | undefined): FeatureCounts {
  if (typeof value !== 'string' || isMissing(value)) return { ...counts, missing: counts.missing + 1 };
  const { categoryCounts, unknownCategories } = counts;
  if (Object.hasOwn(categoryCounts, value)) {
    return { ...counts, categoryCounts: { ...categoryCounts, [value]: categoryCounts[value]! + 1 } };
  }
  if (unknownCategories < MAX_UNKNOWN_CATEGORIES) {
    return { ...counts, categoryCounts: { ...categoryCounts, [value]: 1 }, unknownCategories: unknownCategories + 1 };
  }
  const other = Object.hasOwn(categoryCounts, OTHER_CATEGORY) ? categoryCounts[OTHER_CATEGORY]! : 0;
  return { ...counts, categoryCounts: { ...categoryCounts, [OTHER_CATEGORY]: other + 1 } };
}

function valueOf<T>(features: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(features, name) ? features[name] : undefined;
}

/**
 * The window with one more prediction counted. Every baseline feature is counted (absent → missing);
 * features the baseline does not know are ignored, since training gives nothing to compare them with.
 */
export function addPrediction(window: DriftWindow, prediction: Prediction): DriftWindow {
  const features = Object.fromEntries(
    Object.entries(window.features).map(([name, counts]) => [
      name,
      counts.kind === 'numeric'
        ? countNumeric(counts, valueOf(prediction.numericFeatures, name))
        : countCategorical(counts, valueOf(prediction.categoricalFeatures, name)),
    ]),
  );
  const time = prediction.eventTime;
  return {
    features,
    predictionCount: window.predictionCount + 1,
    firstEventTime: window.firstEventTime === null ? time : Math.min(window.firstEventTime, time),
    lastEventTime: window.lastEventTime === null ? time : Math.max(window.lastEventTime, time),
  };
}
