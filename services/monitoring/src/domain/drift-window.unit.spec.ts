import type { ColumnProfile, Prediction } from '@mgov/contracts';
import { addPrediction, emptyWindow, MAX_UNKNOWN_CATEGORIES, OTHER_CATEGORY } from './drift-window';

const baseline: ColumnProfile[] = [
  { name: 'income', kind: 'numeric', count: 4, missing: 0, binEdges: [10, 20], binCounts: [1, 2, 1], categoryCounts: {} },
  { name: 'region', kind: 'categorical', count: 4, missing: 0, binEdges: [], binCounts: [], categoryCounts: { north: 3, south: 1 } },
];

function prediction(eventTime: number, income: number | null, region: string | null, extra: Record<string, number> = {}): Prediction {
  return {
    predictionId: `p${eventTime}`, modelName: 'loans', modelVersion: 1, modelDigest: 'sha256:1', eventTime,
    numericFeatures: { income, ...extra }, categoricalFeatures: { region }, predictedClass: null, score: null,
    protectedAttributes: {}, groundTruth: null,
  };
}

describe('drift window', () => {
  it('starts empty, shaped by the baseline', () => {
    expect(emptyWindow(baseline)).toEqual({
      features: {
        income: { kind: 'numeric', binEdges: [10, 20], binCounts: [0, 0, 0], missing: 0 },
        region: { kind: 'categorical', categoryCounts: { north: 0, south: 0 }, unknownCategories: 0, missing: 0 },
      },
      predictionCount: 0, firstEventTime: null, lastEventTime: null,
    });
  });

  it('counts values on the baseline bins and categories, missing apart, and spans event time', () => {
    const empty = emptyWindow(baseline);
    const window = [prediction(300, 5, 'north'), prediction(100, 20, 'south', { unseen: 1 }), prediction(200, null, null)]
      .reduce(addPrediction, empty);
    expect(window).toEqual({
      features: {
        income: { kind: 'numeric', binEdges: [10, 20], binCounts: [1, 0, 1], missing: 1 },
        region: { kind: 'categorical', categoryCounts: { north: 1, south: 1 }, unknownCategories: 0, missing: 1 },
      },
      predictionCount: 3, firstEventTime: 100, lastEventTime: 300,
    });
    expect(empty.predictionCount).toBe(0);
  });

  it('keeps memory bounded: unseen categories are capped, the rest pooled under __other__', () => {
    let window = emptyWindow(baseline);
    for (let i = 0; i < 5_000; i += 1) window = addPrediction(window, prediction(i, i, `city-${i}`));
    const region = window.features.region!;
    const income = window.features.income!;
    if (region.kind !== 'categorical' || income.kind !== 'numeric') throw new Error('unexpected shape');
    expect(Object.keys(region.categoryCounts)).toHaveLength(2 + MAX_UNKNOWN_CATEGORIES + 1);
    expect(region.categoryCounts[OTHER_CATEGORY]).toBe(5_000 - MAX_UNKNOWN_CATEGORIES);
    expect(region.categoryCounts['city-0']).toBe(1);
    expect(income.binCounts).toEqual([10, 10, 4_980]);
    expect(Object.keys(window.features)).toEqual(['income', 'region']);
  });
});
