import type { RunEventDataset } from './run-event';

const SHA256 = /^[0-9a-f]{64}$/;
const MGOV_NAME = /^(?:dataset-version:|.+@)?([0-9a-f]{64})$/;

/**
 * The MGov dataset version an OpenLineage dataset claims to be, if any: namespace `mgov` (or
 * `mgov://…`) with the version id as its name (`<id>`, `dataset-version:<id>` or `<name>@<id>`),
 * or — in any namespace — the standard `version` facet's `datasetVersion`, or an `mgov` facet's
 * `datasetVersionId`. The caller still checks that the version exists.
 */
export function claimedDatasetVersion(dataset: RunEventDataset): string | null {
  const namespace = dataset.namespace.toLowerCase();
  if (namespace === 'mgov' || namespace.startsWith('mgov://')) {
    const id = MGOV_NAME.exec(dataset.name.toLowerCase())?.[1];
    if (id) return id;
  }
  for (const candidate of [dataset.facets.version?.datasetVersion, dataset.facets.mgov?.datasetVersionId]) {
    if (typeof candidate === 'string' && SHA256.test(candidate.toLowerCase())) return candidate.toLowerCase();
  }
  return null;
}
