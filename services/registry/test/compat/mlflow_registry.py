"""The model registry through the real mlflow client against MGov (MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN).

argv: phase (submit | approved), model name, and for submit: experiment name, eligible dataset version id, MGov base URL;
for approved: the run id and the pending version printed by submit.
Prints what it read back as JSON on the last line for the jest spec. No pickle is ever loaded here.
"""
import json
import os
import pickle
import sys
import tempfile
from collections import OrderedDict

import mlflow
import pandas as pd
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

phase, name = sys.argv[1:3]
client = MlflowClient()
out = {}


def error_of(call):
    try:
        call()
    except MlflowException as e:
        return {"error_code": e.error_code, "message": e.message}
    return None


def version_view(mv):
    return {"version": mv.version, "status": mv.status, "source": mv.source, "run_id": mv.run_id, "tags": dict(mv.tags or {}), "aliases": list(mv.aliases or [])}


class Evil:
    """Pickling it writes a reference to os.system; only unpickling would run it, and nothing here unpickles."""

    def __reduce__(self):
        return (os.system, ("touch /tmp/mgov-pwned",))


def logged_run(experiment_name, eligible, base, model_bytes):
    mlflow.set_experiment(experiment_name)
    work = tempfile.mkdtemp()
    with mlflow.start_run() as run:
        mlflow.log_metrics({"accuracy": 0.92, "f1": 0.9, "fairness.sex.disparate_impact": 0.91,
                            "fairness.sex.demographic_parity_difference": 0.03, "fairness.sex.equalized_odds_difference": 0.04})
        frame = pd.DataFrame({"income": [1.0, 2.0, 3.0], "repaid": ["yes", "no", "yes"]})
        mlflow.log_input(mlflow.data.from_pandas(frame, source=f"{base}/lineage/dataset-versions/{eligible}/content", name="loans"), context="training")
        with open(os.path.join(work, "model.pkl"), "wb") as f:
            f.write(model_bytes)
        with open(os.path.join(work, "requirements.txt"), "w") as f:
            f.write("scikit-learn==1.5.2\nnumpy==2.1.2\n")
        mlflow.log_artifact(os.path.join(work, "model.pkl"), artifact_path="model")
        mlflow.log_artifact(os.path.join(work, "requirements.txt"), artifact_path="model")
        return run.info.run_id


if phase == "submit":
    experiment_name, eligible, base = sys.argv[3:6]
    safe_run = logged_run(experiment_name, eligible, base, pickle.dumps(OrderedDict(weights=[0.5, 1.5], bias=0.1), protocol=4))
    evil_run = logged_run(experiment_name, eligible, base, pickle.dumps({"model": Evil()}, protocol=4))
    out["created"] = client.create_registered_model(name, description="credit scoring").name
    fresh = client.get_registered_model(name)
    out["created_get"] = {"description": fresh.description, "latest": list(fresh.latest_versions or [])}
    pending = client.create_model_version(name, source=f"runs:/{safe_run}/model", run_id=safe_run, await_creation_for=0)
    evil = client.create_model_version(name, source=f"runs:/{evil_run}/model/model.pkl", run_id=evil_run, await_creation_for=0)
    out.update(run_id=safe_run, pending=version_view(pending), evil=version_view(evil))
    out["pending_read"] = version_view(client.get_model_version(name, pending.version))
    out["search_before"] = [mv.version for mv in client.search_model_versions(f"name='{name}'")]
    out["download_pending"] = error_of(lambda: client.get_model_version_download_uri(name, pending.version))
    out["create_again"] = error_of(lambda: client.create_registered_model(name))
    out["bad_source"] = error_of(lambda: client.create_model_version(name, source="s3://elsewhere/model.pkl", run_id=safe_run, await_creation_for=0))
    out["unknown_version"] = error_of(lambda: client.get_model_version(name, "99"))
else:
    run_id, pending_version = sys.argv[3:5]
    out["approved"] = version_view(client.get_model_version(name, pending_version))
    out["v1"] = version_view(client.get_model_version(name, "1"))
    out["search"] = [mv.version for mv in client.search_model_versions(f"name='{name}'")]
    out["search_by_run"] = [mv.version for mv in client.search_model_versions(f"run_id='{run_id}'")]
    out["models"] = [m.name for m in client.search_registered_models(filter_string=f"name = '{name}'")]
    model = client.get_registered_model(name)
    out["latest"] = [mv.version for mv in model.latest_versions]
    out["download_uri"] = client.get_model_version_download_uri(name, "1")
    client.set_registered_model_alias(name, "champion", "1")
    out["by_alias"] = version_view(client.get_model_version_by_alias(name, "champion"))
    out["model_aliases"] = dict(client.get_registered_model(name).aliases)
    out["alias_on_candidate"] = error_of(lambda: client.set_registered_model_alias(name, "challenger", "mlflow-000000000000"))
    client.delete_registered_model_alias(name, "champion")
    out["alias_gone"] = error_of(lambda: client.get_model_version_by_alias(name, "champion"))

print(json.dumps(out))
