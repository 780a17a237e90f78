"""Emits START and COMPLETE for one run, then a JobEvent and a DatasetEvent (static lineage), to MGov
with the real openlineage-python client.

Usage: python3 emit_run_events.py MGOV_URL API_KEY RUN_ID
Configured the way an integration is (a config dict: HTTP transport, api_key auth), so the
compatibility spec exercises the client's own serialisation, headers and endpoint path.
"""

import sys
from datetime import datetime, timezone

from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import DatasetEvent, InputDataset, Job, JobEvent, OutputDataset, Run, RunEvent, RunState, StaticDataset
from openlineage.client.facet_v2 import schema_dataset

url, api_key, run_id = sys.argv[1:4]
client = OpenLineageClient(config={"transport": {"type": "http", "url": url, "auth": {"type": "api_key", "apiKey": api_key}}})
producer = "https://mgov.example/openlineage-compat"
job = Job(namespace="airflow-compat", name="features.build_loans")
fields = [schema_dataset.SchemaDatasetFacetFields(name="income", type="DOUBLE")]
inputs = [InputDataset(namespace="postgres://warehouse:5432", name="public.loans", facets={"schema": schema_dataset.SchemaDatasetFacet(fields=fields)})]
outputs = [OutputDataset(namespace="s3://features", name="loans/latest.parquet")]

for state in (RunState.START, RunState.COMPLETE):
    client.emit(RunEvent(eventType=state, eventTime=datetime.now(timezone.utc).isoformat(), run=Run(runId=run_id), job=job, producer=producer, inputs=inputs, outputs=outputs))
print("emitted START and COMPLETE for", run_id)

# Static lineage, as dbt sends it: the model's job reads and writes tables, whichever run does it.
now = datetime.now(timezone.utc).isoformat()
client.emit(JobEvent(eventTime=now, producer=producer, job=Job(namespace="dbt-compat", name="marts.loans_features"),
                     inputs=[InputDataset(namespace="postgres://warehouse:5432", name="public.loans")],
                     outputs=[OutputDataset(namespace="postgres://warehouse:5432", name="marts.loans_features")]))
client.emit(DatasetEvent(eventTime=now, producer=producer,
                         dataset=StaticDataset(namespace="postgres://warehouse:5432", name="marts.loans_features", facets={"schema": schema_dataset.SchemaDatasetFacet(fields=fields)})))
print("emitted a JobEvent and a DatasetEvent")
