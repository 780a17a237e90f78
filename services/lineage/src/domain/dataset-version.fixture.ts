import { biasAccumulator, type BiasReport } from '@mgov/bias';
import type { DatasetVersionRegistered, DatasetVersionStored } from '@mgov/contracts';
import { kAnonymityCounter, type KAnonymityResult } from '@mgov/privacy';

export const metadata = { actor: { id: 'dana', role: 'data-steward' }, now: 1_790_000_000_000, correlationId: 'c' };

export const RAW = 'a'.repeat(64);
export const DERIVED = 'b'.repeat(64);

export const storage = {
  format: 'csv', byteSize: 120, objectKey: `sha256/${RAW}`,
  columns: [{ name: 'email', type: 'string', missing: 0, distinct: 2, min: null, max: null, mean: null, quantiles: {} }],
};

export const registration = {
  datasetVersionId: RAW, datasetName: 'loans', sourceIds: ['crm'], unknownSourceIds: [], parentVersionIds: [], transformation: null,
  rowCount: 2, columns: [], storage,
};

export const registered = (id = RAW, parents: string[] = [], transformation: string | null = null): [DatasetVersionRegistered, DatasetVersionStored] => [
  { type: 'DatasetVersionRegistered', data: { datasetVersionId: id, datasetName: 'loans', sourceIds: ['crm'], parentVersionIds: parents, transformation, rowCount: 2, columns: [] } },
  { type: 'DatasetVersionStored', data: { datasetVersionId: id, ...storage } },
];

/** k-anonymity over `zip` of rows with these zips. */
export function kOf(zips: string[], policyK = 2): KAnonymityResult {
  const counter = kAnonymityCounter({ quasiIdentifiers: ['zip'], policyK });
  for (const zip of zips) counter.add({ zip });
  return counter.result();
}

/** A bias report of `sex` against `repaid` = yes: `rates` is the share of yes per group, over 100 rows each. */
export function biasOf(rates: Record<string, number>): BiasReport {
  const accumulator = biasAccumulator({ label: 'repaid', positive: 'yes', protected: ['sex'] });
  for (const [sex, rate] of Object.entries(rates)) {
    for (let i = 0; i < 100; i += 1) accumulator.add({ sex, repaid: i < rate * 100 ? 'yes' : 'no' });
  }
  return accumulator.report();
}
