"""`orch` as Jenkins runs it (subprocess, pipes): no control codes, SIGINT, drift notification."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import REPO, start_orch
from tests.helpers import run_orch as orch

pytestmark = pytest.mark.engines


def test_non_tty_output_has_no_control_codes_and_json_on_stdout(dag_stack: Path) -> None:
    proc = orch("--verbose", "plan", "--dir", str(dag_stack), "--layer", "10-a", "--layer", "20-c", "--json")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\x1b" not in proc.stderr
    report = json.loads(proc.stdout)
    assert [u["path"] for u in report["units"]] == ["10-a", "20-c"]
    assert "[orch plan] 10-a: started" in proc.stderr
    assert "10-a | " in proc.stderr  # --verbose: engine lines prefixed by their unit
    # Without --json the summary table goes to stdout, plain text.
    table = orch("plan", "--dir", str(dag_stack), "--layer", "10-a", "--detailed-exitcode")
    assert table.returncode == 2
    assert "\x1b" not in table.stdout and "10-a" in table.stdout and "changes" in table.stdout


def test_a_dir_run_loads_neither_env_yaml_models_nor_the_aws_sdk(dag_stack: Path) -> None:
    """Start-up is on every run's critical path (docs/development.md): a `--dir` plan without the
    emulator needs no environment file (PyYAML, env.yaml's models) and no AWS SDK."""
    script = (
        "import sys\n"
        "from orchestrator.cli import main\n"
        "try:\n"
        f"    sys.argv = ['orch', 'plan', '--dir', {str(dag_stack)!r}, '--layer', '10-a', '--json']\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    code = done.code\n"
        "heavy = ('orchestrator.config', 'yaml', 'boto3', 'botocore')\n"
        "print(code, *sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False
    )
    assert proc.stderr.strip().splitlines()[-1] == "0", proc.stderr
    assert json.loads(proc.stdout)["units"][0]["result"] == "changes"


def test_apply_and_destroy_never_proceed_unconfirmed_in_ci(dag_stack: Path) -> None:
    proc = orch("apply", "--dir", str(dag_stack), "--layer", "10-a")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "needs confirmation but stdin is not a terminal" in proc.stderr
    assert not (dag_stack / "10-a" / "terraform.tfstate").exists()
    proc = orch("destroy", "--dir", str(dag_stack), "--layer", "10-a")
    assert proc.returncode == 1 and "destroy needs --allow-destroy" in proc.stderr
    proc = orch("apply", "--dir", str(dag_stack), "--layer", "10-a", "--auto-approve", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["units"][0]["result"] == "applied"


def _sigint_a_worker_thread(pid: int) -> None:
    """SIGINT to one of orch's threads other than the main one, as the kernel may deliver a
    process-directed signal (tgkill(2); the main thread then stays in whatever it waits for)."""
    tgkill = ctypes.CDLL(None, use_errno=True).tgkill
    for task in sorted(Path(f"/proc/{pid}/task").iterdir()):
        if int(task.name) != pid and tgkill(pid, int(task.name), signal.SIGINT) == 0:
            return
    pytest.fail("orch has no thread besides its main one to signal")


@pytest.mark.parametrize("receiver", ["process", "worker-thread"])
def test_sigint_stops_gracefully_unlocked_and_reports_truthfully(dag_stack: Path, receiver: str) -> None:
    """Whichever of orch's threads the kernel hands the SIGINT to, the run stops at once (CI once
    saw the main thread wait out a 60 s provisioner because a worker thread had taken it)."""
    env = dict(os.environ, ORCH_FIXTURE_SLOW="20-c", ORCH_FIXTURE_SLEEP="60")
    proc = start_orch("apply", "--dir", str(dag_stack), "--all", "--auto-approve", env=env)
    runs = dag_stack / ".orch" / "runs"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until 20-c's apply is inside its slow provisioner
        if any("Executing" in log.read_text(errors="replace") for log in runs.glob("*/20-c/terragrunt.log")):
            break
        time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("20-c never started applying")
    sent = time.monotonic()
    if receiver == "process":
        proc.send_signal(signal.SIGINT)
    else:
        _sigint_a_worker_thread(proc.pid)
    _, stderr = proc.communicate(timeout=45)
    assert time.monotonic() - sent < 30, "engines did not stop gracefully"
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "interrupted" in stderr
    report = json.loads((runs / sorted(p.name for p in runs.iterdir())[-1] / "report.json").read_text())
    assert report["command"] == "apply" and report["interrupted"] is True
    results = {u["path"]: u["result"] for u in report["units"]}
    assert results["20-c"] == "interrupted"
    assert results["10-a"] == "applied"
    for below in ("30-f", "40-h", "50-j"):
        assert results[below] in ("not-run", "skipped")
    assert "Resume with: orch apply" in report["resume"]
    # No lock left behind: no lock file, and the next run gets the state lock at once.
    assert not list(dag_stack.rglob("*.lock.info"))
    again = orch("plan", "--dir", str(dag_stack), "--layer", "20-c")
    assert again.returncode == 0, again.stderr


@pytest.mark.emulator
def test_drift_notifies_sns(dag_stack: Path, moto_endpoint: str) -> None:
    import boto3

    creds = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
    kw = {
        "endpoint_url": moto_endpoint,
        "region_name": "us-east-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    sns, sqs = boto3.client("sns", **kw), boto3.client("sqs", **kw)
    topic = sns.create_topic(Name="orch-drift")["TopicArn"]
    queue = sqs.create_queue(QueueName="drift")["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]
    queue_arn = attributes["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)

    env = dict(os.environ, ORCH_SNS_ENDPOINT=moto_endpoint, **creds)
    proc = orch("drift", "--dir", str(dag_stack), "--layer", "10-a", "--notify-sns", topic, env=env)
    assert proc.returncode == 2, proc.stderr  # nothing applied yet: pending changes
    messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=2).get("Messages", [])
    assert messages, "no notification published"
    body = json.loads(messages[0]["Body"])
    assert body["Subject"].startswith("orch drift dag: 0 drifted, 1 pending")
    assert "- 10-a: pending-changes" in body["Message"]
