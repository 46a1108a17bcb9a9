"""Drift notifications without engines: the Slack webhook (a local HTTP server) and the message."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from orchestrator.errors import OrchError
from orchestrator.planfile import AttributeChange, DriftFinding, PlanSummary
from orchestrator.runs import notify
from orchestrator.runs.results import Result, RunReport, UnitResult, now


def drift_report() -> RunReport:
    report = RunReport(
        run_id="r1",
        command="drift",
        stack_dir="/live/eks-prod",
        env="eks-prod",
        started_at=now(),
        units=[
            UnitResult(path="10-networking", result=Result.IN_SYNC),
            UnitResult(
                path="30-eks-cluster",
                result=Result.DRIFTED,
                summary=PlanSummary(
                    drift=["aws_eks_cluster.this"],
                    drift_details=[
                        DriftFinding(
                            address="aws_eks_cluster.this",
                            attributes=[AttributeChange(path="tags.Owner", before='"a"', after='"b"')],
                        )
                    ],
                ),
            ),
        ],
    )
    report.exit_code = report.compute_exit_code()
    return report


def test_slack_webhook(monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    monkeypatch.setenv("DRIFT_HOOK", f"http://127.0.0.1:{server.server_port}/hook")
    assert notify.send(drift_report(), slack_env="DRIFT_HOOK") == []
    thread.join(5)
    server.server_close()
    text = received[0]["text"]
    assert text.startswith("orch drift eks-prod: 1 drifted, 0 pending, 0 failed")
    assert "- 30-eks-cluster: drifted (aws_eks_cluster.this: tags.Owner)" in text


def test_missing_webhook_variable_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOPE_HOOK", raising=False)
    problems = notify.send(drift_report(), slack_env="NOPE_HOOK")
    assert problems and "NOPE_HOOK" in problems[0]
    with pytest.raises(OrchError):
        notify.post_slack(drift_report(), "NOPE_HOOK")


@pytest.mark.parametrize(
    "url",
    [
        "notascheme://hooks.slack.com/services/T0000/B0000/XsecretTOKENx",
        "http://127.0.0.1:1/services/T0/B0/XsecretTOKENx",
    ],
)
def test_a_failing_webhook_is_reported_without_its_url(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """Issue 16: the Slack webhook URL is a secret; a failed post names the variable, not the URL."""
    monkeypatch.setenv("DRIFT_HOOK", url)
    problems = notify.send(drift_report(), slack_env="DRIFT_HOOK")
    assert len(problems) == 1 and "DRIFT_HOOK" in problems[0], problems
    assert "XsecretTOKENx" not in problems[0] and "hooks.slack.com" not in problems[0], problems
