"""Plan-JSON parsing: counts, destroy protection, drift and outputs come from here."""

from __future__ import annotations

from orchestrator.planfile import PlanSummary, summarize


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


def test_resources_with_guarded_attributes_are_listed_or_unknown() -> None:
    """What the refresh after an apply needs: the guarded resources the state holds once the plan is
    applied (a deleted one no longer); a summary read from a report written before orch recorded
    them says "unknown" (None), so that unit is refreshed."""
    s = summarize(
        {
            "resource_changes": [
                {**rc("aws_security_group.web", "no-op"), "type": "aws_security_group"},
                {**rc("aws_iam_role.gone", "delete"), "type": "aws_iam_role"},
                {**rc("aws_s3_bucket.logs", "create"), "type": "aws_s3_bucket"},
            ]
        }
    )
    assert s.guarded == ["aws_security_group.web"]
    assert summarize({}).guarded == [] and PlanSummary.model_validate({"add": 1}).guarded is None


def test_no_changes() -> None:
    s = summarize(
        {
            "resource_changes": [rc("a.same", "no-op")],
            "prior_state": {"values": {"outputs": {"id": {"value": "x"}}}},
        }
    )
    assert not s.has_changes and not s.destructive


def test_output_only_changes_count_as_changes() -> None:
    s = summarize({"output_changes": {"o": {"actions": ["update"]}, "p": {"actions": ["no-op"]}}})
    assert s.resource_changes == 0
    assert s.output_changes == ["o"] and s.has_changes


def test_drift_the_plan_does_not_touch_is_a_note() -> None:
    """A computed/ignored attribute changed and the plan is a no-op: informational, not drift."""
    drifted = rc("aws_s3_bucket.b", "update")
    drifted["change"].update(before={"tags": {"a": "1"}}, after={"tags": {"a": "2"}})
    s = summarize(
        {
            "resource_drift": [drifted],
            "resource_changes": [rc("aws_s3_bucket.b", "no-op")],
        }
    )
    assert s.drift == [] and not s.has_changes
    assert [(n.address, [a.describe() for a in n.attributes]) for n in s.notes] == [
        ("aws_s3_bucket.b", ['tags.a "1" -> "2"'])
    ]


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
    reverted = rc("aws_ssm_parameter.q", "update")
    reverted["change"].update(before={"value": "edited"}, after={"value": "x"})
    s = summarize(
        {
            "resource_drift": [noise, real, gone],
            "resource_changes": [reverted, rc("aws_ssm_parameter.r", "create")],
        }
    )
    assert s.drift == ["aws_ssm_parameter.q", "aws_ssm_parameter.r"]
    assert not s.notes
    assert [f.describe() for f in s.drift_details] == [
        'aws_ssm_parameter.q: value "x" -> "edited"',
        "aws_ssm_parameter.r: deleted outside (the plan re-creates it)",
    ]


# The classification tests below feed hand-written plan JSON to pure functions (no engine): the
# shapes are those of `tofu show -json` (resource_drift, resource_changes, relevant_attributes,
# *_sensitive masks). The same rules run on real plans in tests/e2e (drift after a whole apply).


def _drift(address: str, before: dict, after: dict, **extra: object) -> dict:
    rtype = address.split(".")[-2] if not address.endswith("]") else address.split("[")[0].split(".")[-2]
    change = {"actions": ["update"], "before": before, "after": after, **extra}
    return {"address": address, "mode": "managed", "type": rtype, "change": change}


def test_computed_fill_ins_are_notes_but_a_hand_added_ingress_rule_is_drift() -> None:
    """The review's false alarms (an EIP's association) are notes; a new opening is drift."""
    eip = _drift("module.vpc.aws_eip.nat[0]", {"association_id": None}, {"association_id": "eipassoc-1"})
    managed_rule = {"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/16"]}
    opened = {"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}
    sg = _drift("aws_security_group.nodes", {"ingress": [managed_rule]}, {"ingress": [managed_rule, opened]})
    plan = {
        "resource_drift": [eip, sg],
        "resource_changes": [rc(d["address"], "no-op") for d in (eip, sg)],
    }
    s = summarize(plan)
    assert s.drift == ["aws_security_group.nodes"]
    (finding,) = s.drift_details
    assert finding.attributes[0].path == "ingress"
    assert finding.attributes[0].before is None
    assert finding.attributes[0].describe().startswith('ingress +[{"cidr_blocks":["0.0.0.0/0"],"from_port":22')
    assert "guarded" in finding.reason
    assert [n.address for n in s.notes] == ["module.vpc.aws_eip.nat[0]"]
    assert not s.has_changes


def test_relevant_attributes_make_a_computed_change_drift() -> None:
    cluster = _drift("aws_rds_cluster.this", {"port": 3306}, {"port": 3307})
    plan = {
        "resource_drift": [cluster],
        "resource_changes": [rc("aws_rds_cluster.this", "no-op"), rc("aws_route53_record.db", "update")],
        "relevant_attributes": [{"resource": "aws_rds_cluster.this", "attribute": ["port"]}],
    }
    s = summarize(plan)
    assert s.drift == ["aws_rds_cluster.this"] and "relevant_attributes" in s.drift_details[0].reason


def test_a_change_only_outputs_read_is_a_note() -> None:
    """AWS upgraded Aurora's minor version: only the engine_version_actual output changes (the module
    ignores engine_version), so the nightly drift job must stay green and say it as a note."""
    cluster = _drift(
        "module.aurora.aws_rds_cluster.this",
        {"engine_version_actual": "8.0.mysql_aurora.3.08.0"},
        {"engine_version_actual": "8.0.mysql_aurora.3.08.2"},
    )
    plan = {
        "resource_drift": [cluster],
        "resource_changes": [rc("module.aurora.aws_rds_cluster.this", "no-op")],
        "relevant_attributes": [
            {"resource": "module.aurora.aws_rds_cluster.this", "attribute": ["engine_version_actual"]}
        ],
        "output_changes": {"engine_version_actual": {"actions": ["update"]}},
    }
    s = summarize(plan)
    assert s.drift == [], s.drift_details
    assert [n.address for n in s.notes] == ["module.aurora.aws_rds_cluster.this"]


def test_sensitive_values_never_reach_the_finding() -> None:
    secret = _drift(
        "aws_db_instance.x",
        {"password": "old-secret", "tags": {"a": "1"}},
        {"password": "new-secret", "tags": {"a": "1"}},
        before_sensitive={"password": True},
        after_sensitive={"password": True},
    )
    reverted = rc("aws_db_instance.x", "update")
    reverted["change"].update(after={"password": "old-secret", "tags": {"a": "1"}})
    s = summarize({"resource_drift": [secret], "resource_changes": [reverted]})
    text = s.model_dump_json()
    assert "old-secret" not in text and "new-secret" not in text
    assert s.drift_details[0].describe() == "aws_db_instance.x: password (sensitive) -> (sensitive)"


def test_a_rule_added_to_a_group_without_rules_reads_as_an_addition() -> None:
    """Empty lists are normalised to null; the finding must still say what was added, not "null ->"."""
    opened = {"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}
    sg = _drift("aws_security_group.x", {"ingress": []}, {"ingress": [opened]})
    s = summarize({"resource_drift": [sg], "resource_changes": [rc("aws_security_group.x", "no-op")]})
    (change,) = s.drift_details[0].attributes
    assert change.elements and change.describe() == (
        'ingress +[{"cidr_blocks":["0.0.0.0/0"],"from_port":22,"protocol":"tcp","to_port":22}]'
    )


def test_set_reordering_is_not_a_change() -> None:
    rules = [{"from_port": 1}, {"from_port": 2}]
    sg = _drift("aws_security_group.x", {"ingress": rules}, {"ingress": list(reversed(rules))})
    s = summarize({"resource_drift": [sg], "resource_changes": [rc("aws_security_group.x", "no-op")]})
    assert not s.drift and not s.notes
