"""Plan-JSON parsing: counts, destroy protection, drift and outputs come from here."""

from __future__ import annotations

from orchestrator.planfile import summarize


def rc(address: str, *actions: str, mode: str = "managed") -> dict:
    return {"address": address, "mode": mode, "change": {"actions": list(actions)}}


def test_counts_and_addresses() -> None:
    plan = {
        "resource_changes": [
            rc("a.new", "create"),
            rc("a.upd", "update"),
            rc("a.gone", "delete"),
            rc("a.cbd", "create", "delete"),
            rc("a.dbc", "delete", "create"),
            rc("a.same", "no-op"),
            rc("data.x.y", "read", mode="data"),
        ]
    }
    s = summarize(plan)
    assert (s.add, s.change, s.destroy, s.replace) == (1, 1, 1, 2)
    assert s.deletes == ["a.gone"]
    assert s.replaces == ["a.cbd", "a.dbc"]
    assert s.destructive and s.has_changes


def test_no_changes_and_prior_outputs() -> None:
    s = summarize(
        {
            "resource_changes": [rc("a.same", "no-op")],
            "prior_state": {"values": {"outputs": {"id": {"value": "x"}}}},
        }
    )
    assert not s.has_changes and not s.destructive
    assert s.prior_outputs


def test_output_only_changes_count_as_changes() -> None:
    s = summarize({"output_changes": {"o": {"actions": ["update"]}, "p": {"actions": ["no-op"]}}})
    assert s.resource_changes == 0
    assert s.output_changes == ["o"] and s.has_changes


def test_resource_drift_is_reported_separately() -> None:
    drifted = rc("aws_s3_bucket.b", "update")
    drifted["change"].update(before={"tags": {"a": "1"}}, after={"tags": {"a": "2"}})
    s = summarize(
        {
            "resource_drift": [drifted],
            "resource_changes": [rc("aws_s3_bucket.b", "no-op")],
        }
    )
    assert s.drift == ["aws_s3_bucket.b"]
    assert not s.has_changes


def test_normalisation_only_drift_is_ignored() -> None:
    noise = {
        "address": "aws_ssm_parameter.p",
        "mode": "managed",
        "change": {
            "actions": ["update"],
            "before": {"value": "x", "tags": None, "tags_all": {}},
            "after": {"value": "x", "tags": {}, "tags_all": {}},
        },
    }
    real = {
        "address": "aws_ssm_parameter.q",
        "mode": "managed",
        "change": {"actions": ["update"], "before": {"value": "x"}, "after": {"value": "edited"}},
    }
    gone = {"address": "aws_ssm_parameter.r", "mode": "managed", "change": {"actions": ["delete"]}}
    assert summarize({"resource_drift": [noise, real, gone]}).drift == ["aws_ssm_parameter.q", "aws_ssm_parameter.r"]
