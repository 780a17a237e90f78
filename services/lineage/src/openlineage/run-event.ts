/** The run states an OpenLineage RunEvent (spec 2-0-x) may report. */
export const RUN_EVENT_TYPES = ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] as const;
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

/** A facet as the spec defines it: `_producer` and `_schemaURL` plus anything the facet's own schema adds. */
export type Facet = Readonly<Record<string, unknown>>;
export type Facets = Readonly<Record<string, Facet>>;

export interface RunEventDataset {
  readonly namespace: string;
  readonly name: string;
  readonly facets: Facets;
}

export interface ParentRun {
  readonly runId: string;
  readonly jobNamespace: string;
  readonly jobName: string;
}

/** A RunEvent that passed validation, with the parts MGov reads pulled out. */
export interface RunEvent {
  readonly eventType: RunEventType | null;
  readonly eventTime: string;
  readonly eventTimeMs: number;
  readonly producer: string;
  readonly schemaURL: string;
  /** Lower-cased, so the same UUID written in either case is one run. */
  readonly runId: string;
  readonly parentRun: ParentRun | null;
  readonly job: { readonly namespace: string; readonly name: string };
  readonly inputs: readonly RunEventDataset[];
  readonly outputs: readonly RunEventDataset[];
}

/** A JobEvent that passed validation: static lineage of a job, no run. */
export interface JobEvent {
  readonly eventTime: string;
  readonly eventTimeMs: number;
  readonly producer: string;
  readonly schemaURL: string;
  readonly job: { readonly namespace: string; readonly name: string };
  readonly inputs: readonly RunEventDataset[];
  readonly outputs: readonly RunEventDataset[];
}

/** A DatasetEvent that passed validation: a dataset's metadata, no job or run. */
export interface DatasetEvent {
  readonly eventTime: string;
  readonly eventTimeMs: number;
  readonly producer: string;
  readonly schemaURL: string;
  readonly dataset: RunEventDataset;
}
