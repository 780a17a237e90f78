"""The issue's script, run with the real mlflow client against MGov (MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN).

argv: experiment name, eligible dataset version id, known-but-ineligible dataset version id, MGov base URL.
Asserts what it can on its own and prints everything it read back as JSON for the jest spec.
"""
import json
import math
import os
import sys
import tempfile

import mlflow
import pandas as pd
from mlflow import MlflowClient
from mlflow.entities import Metric, Param
from mlflow.exceptions import MlflowException

experiment_name, eligible, ineligible, base = sys.argv[1:5]
out = {}


def error_of(call):
    try:
        call()
    except MlflowException as e:
        return {"error_code": e.error_code, "message": e.message}
    return None


experiment = mlflow.set_experiment(experiment_name)
work = tempfile.mkdtemp()
with mlflow.start_run(run_name="compat-run") as run:
    run_id = run.info.run_id
    mlflow.log_param("max_depth", 6)
    mlflow.log_params({"learning_rate": 0.1, "optimizer": "adam"})
    for step in range(5):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
    mlflow.log_metric("accuracy", 0.91)
    mlflow.log_metric("nan_metric", float("nan"))
    mlflow.log_metric("inf_metric", float("inf"), step=1)
    mlflow.log_metric("ninf_metric", float("-inf"))
    mlflow.set_tag("team", "credit-risk")
    model = os.path.join(work, "model.pkl")
    with open(model, "wb") as f:
        f.write(b"\x80\x04not-really-a-model" * 100)
    mlflow.log_artifact(model, artifact_path="model")
    report = os.path.join(work, "report.json")
    with open(report, "w") as f:
        f.write('{"auc": 0.93}')
    mlflow.log_artifact(report)
    frame = pd.DataFrame({"income": [1.0, 2.0, 3.0], "repaid": ["yes", "no", "yes"]})
    mlflow.log_input(mlflow.data.from_pandas(frame, source=f"{base}/lineage/dataset-versions/{eligible}/content", name="loans"), context="training")
    mlflow.log_input(mlflow.data.from_pandas(pd.DataFrame({"y": [1, 2]}), name="scratch-eval"), context="evaluation")
    out["refused_input"] = error_of(lambda: mlflow.log_input(
        mlflow.data.from_pandas(frame, source=f"{base}/lineage/dataset-versions/{ineligible}/content", name="raw-loans"), context="training"))
    out["param_changed"] = error_of(lambda: mlflow.log_param("max_depth", 7))
    client = MlflowClient()
    out["unknown_run"] = error_of(lambda: client.get_run("0" * 32))
    client.log_batch(run_id, metrics=[Metric("batch_metric", float(i), 1700000000000 + i, i) for i in range(10)], params=[Param("batch_param", "b")])

client = MlflowClient()
finished = client.get_run(run_id)
assert finished.info.status == "FINISHED", finished.info.status
assert finished.data.params == {"max_depth": "6", "learning_rate": "0.1", "optimizer": "adam", "batch_param": "b"}, finished.data.params
assert finished.data.metrics["accuracy"] == 0.91
assert finished.data.metrics["loss"] == 0.2
assert math.isnan(finished.data.metrics["nan_metric"])
assert finished.data.metrics["inf_metric"] == float("inf")
assert finished.data.metrics["ninf_metric"] == float("-inf")
assert finished.data.tags["team"] == "credit-risk"

found = client.search_runs(
    [experiment.experiment_id],
    filter_string="metrics.accuracy > 0.9 and params.max_depth = '6' and tags.team = 'credit-risk' and attributes.status = 'FINISHED'",
    order_by=["metrics.accuracy DESC"],
)
assert [r.info.run_id for r in found] == [run_id], [r.info.run_id for r in found]
none = client.search_runs([experiment.experiment_id], filter_string="metrics.accuracy < 0.5")
assert len(none) == 0

history = client.get_metric_history(run_id, "loss")
assert [(m.step, m.value) for m in history] == [(s, 1.0 / (s + 1)) for s in range(5)], history

top = sorted((a.path, a.is_dir) for a in client.list_artifacts(run_id))
assert top == [("model", True), ("report.json", False)], top
inside = [(a.path, a.file_size) for a in client.list_artifacts(run_id, "model")]
assert inside == [("model/model.pkl", os.path.getsize(model))], inside
downloaded = client.download_artifacts(run_id, "model/model.pkl", tempfile.mkdtemp())
with open(downloaded, "rb") as f, open(model, "rb") as g:
    assert f.read() == g.read()
downloaded_report = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="report.json")
with open(downloaded_report) as f:
    assert f.read() == '{"auc": 0.93}'

out.update({
    "experiment_id": experiment.experiment_id,
    "run_id": run_id,
    "status": finished.info.status,
    "user_id": finished.info.user_id,
    "params": finished.data.params,
    "metrics": {k: (str(v) if not math.isfinite(v) else v) for k, v in finished.data.metrics.items()},
    "tags": {k: v for k, v in finished.data.tags.items() if k == "team"},
    "inputs": sorted(d.dataset.name for d in finished.inputs.dataset_inputs),
    "history": [[m.step, m.value] for m in history],
    "search": [r.info.run_id for r in found],
    "artifacts": top,
})
print(json.dumps(out))
