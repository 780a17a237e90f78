// The monitoring benchmark's traffic, shared by the publisher child process and the bench itself:
// predictions for MODELS model versions, 20 numeric and 5 categorical features, 2 protected groups,
// every 10th prediction followed by its outcome.
import type { Prediction } from '@mgov/contracts';
import { seededRandom } from '@mgov/testing';

export const NUMERIC = Array.from({ length: 20 }, (_, i) => `x${i}`);
export const CATEGORICAL: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['region', ['north', 'south', 'east', 'west']], ['grade', ['a', 'b', 'c']], ['sector', ['retail', 'corporate', 'sme', 'public', 'ngo']],
  ['channel', ['web', 'branch', 'phone']], ['segment', Array.from({ length: 20 }, (_, i) => `s${i}`)],
];
export const benchModel = (i: number) => `bench-model-${String(i).padStart(3, '0')}`;

/** Seeded uniform numbers (the same traffic on every run). */
export const uniform = seededRandom;

export function trainingRows(n: number, seed = 7): Record<string, number | string>[] {
  const rand = uniform(seed);
  return Array.from({ length: n }, () => {
    const row: Record<string, number | string> = {};
    for (const name of NUMERIC) row[name] = rand() * 100;
    for (const [name, values] of CATEGORICAL) row[name] = values[Math.floor(rand() * values.length)]!;
    return row;
  });
}

export function prediction(i: number, models: number, rand: () => number, eventTime: number, shift = 0, model = benchModel(i % models)): Prediction {
  const numericFeatures: Record<string, number> = {};
  for (const name of NUMERIC) numericFeatures[name] = rand() * 100 + shift;
  const categoricalFeatures: Record<string, string> = {};
  for (const [name, values] of CATEGORICAL) categoricalFeatures[name] = values[Math.floor(rand() * values.length)]!;
  const score = rand();
  return {
    predictionId: `p${i}-${model}`, modelName: model, modelVersion: 1, modelDigest: `sha256:${model}`, eventTime,
    numericFeatures, categoricalFeatures, predictedClass: score > 0.5 ? '1' : '0', score,
    protectedAttributes: { sex: rand() < 0.5 ? 'f' : 'm' }, groundTruth: null,
  };
}
