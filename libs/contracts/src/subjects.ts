/** Subject references that events carry in `envelope.links`, and that streams are named by. */
export const Subject = {
  source: (id: string) => `source:${id}`,
  datasetVersion: (id: string) => `dataset-version:${id}`,
  run: (id: string) => `run:${id}`,
  model: (name: string) => `model:${name}`,
  modelVersion: (name: string, version: number) => `model-version:${name}:${version}`,
  monitor: (name: string, version: number) => `monitor:${name}:${version}`,
  candidate: (id: string) => `candidate:${id}`,
  reviewCase: (id: string) => `review-case:${id}`,
  retraining: (id: string) => `retraining:${id}`,
  apiKey: (id: string) => `api-key:${id}`,
  deployment: (id: string) => `deployment:${id}`,
  /** OpenLineage identities are namespace + name; `:` joins them as Marquez's node ids do. */
  externalJob: (namespace: string, name: string) => `external-job:${namespace}:${name}`,
  externalDataset: (namespace: string, name: string) => `external-dataset:${namespace}:${name}`,
} as const;

/** Subjects whose own stream explains where a model came from (walked by lineage queries). */
export const UPSTREAM_SUBJECT_KINDS = ['candidate', 'run', 'dataset-version', 'source'] as const;

export function subjectKind(subject: string): string {
  return subject.slice(0, subject.indexOf(':'));
}
