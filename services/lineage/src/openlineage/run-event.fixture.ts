/** A RunEvent as openlineage-python 1.x serialises one (facets carry `_producer` and `_schemaURL`). */
export function sampleRunEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const producer = 'https://github.com/OpenLineage/OpenLineage/tree/1.54.0/client/python';
  const facet = (name: string, fields: Record<string, unknown>) => ({ _producer: producer, _schemaURL: `https://openlineage.io/spec/facets/1-0-0/${name}.json#/$defs/${name}`, ...fields });
  return {
    eventType: 'START',
    eventTime: '2025-03-01T10:15:30.123456+00:00',
    run: { runId: '0195506e-7f4c-7d1b-a7a4-2f1e3c9d8b10', facets: { nominalTime: facet('NominalTimeRunFacet', { nominalStartTime: '2025-03-01T10:00:00Z' }) } },
    job: { namespace: 'airflow-prod', name: 'features.build_loans', facets: { jobType: facet('JobTypeJobFacet', { processingType: 'BATCH', integration: 'AIRFLOW', jobType: 'TASK' }) } },
    inputs: [{ namespace: 'postgres://warehouse:5432', name: 'public.loans', facets: { schema: facet('SchemaDatasetFacet', { fields: [{ name: 'income', type: 'DOUBLE' }] }) }, inputFacets: {} }],
    outputs: [{ namespace: 's3://features', name: 'loans/2025-03-01.parquet', facets: {}, outputFacets: {} }],
    producer,
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    ...overrides,
  };
}
