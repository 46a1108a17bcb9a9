"""Who can reach and log in to the EKS cluster (issue 12, item 2): env.yaml rules and the run's identity.

The env.yaml files are eks-prod's, edited one key at a time; no AWS call is made (the identity is
passed in as the session would report it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from orchestrator.aws.cluster_access import require_cluster_access, role_key, talks_to_cluster
from orchestrator.config import EnvConfig, load_env_file
from orchestrator.errors import ConfigError
from tests.helpers import REPO, run_orch

ENV_DIR = REPO / "environments/LIVE/eks-prod"
ENV_TEXT = (ENV_DIR / "env.yaml").read_text()
EXECUTION = "arn:aws:iam::111111111111:role/orch-terraform-execution"
UNITS = sorted(p.parent for p in ENV_DIR.glob("*/terragrunt.hcl"))
# Each unit includes its catalog file, as Terragrunt's `find --include` reports it to orch (the last
# test here checks that against the real discovery).
INCLUDES = {unit: [REPO / "environments/catalog/units" / f"{unit.name}.hcl"] for unit in UNITS}


def _env(tmp_path: Path, *edits: tuple[str, str]) -> EnvConfig:
    text = ENV_TEXT
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "env.yaml"
    path.write_text(text)
    return load_env_file(path)


def test_only_the_kubernetes_layers_talk_to_the_cluster_api() -> None:
    # 50-addons (controllers) and 90-monitoring (the Prometheus collector and Grafana releases).
    assert [unit.name for unit in UNITS if talks_to_cluster(unit, INCLUDES[unit])] == ["50-addons", "90-monitoring"]


def test_eks_prod_says_how_the_api_is_reached_and_who_applies() -> None:
    env = load_env_file(ENV_DIR / "env.yaml")
    assert env.execution_role.arn == EXECUTION
    assert env.eks.public_access_cidrs and not env.eks.runner_in_vpc
    session = "arn:aws:sts::111111111111:assumed-role/orch-terraform-execution/orch-jenkins-42"
    require_cluster_access(env, caller_arn=session, account_id="111111111111", units=UNITS, includes=INCLUDES)


def test_an_unreachable_endpoint_is_refused_in_one_line(tmp_path: Path) -> None:
    edits = [('public_access_cidrs: ["203.0.113.0/24"]', "public_access_cidrs: []")]
    with pytest.raises(ConfigError) as err:
        _env(tmp_path, *edits)
    message = str(err.value)
    assert "\n" not in message and str(tmp_path / "env.yaml") in message
    assert "nothing outside the VPC can reach the EKS API" in message
    assert "runner_in_vpc" in message
    # A runner inside the VPC uses the private endpoint: accepted.
    env = _env(tmp_path, *edits, ("runner_in_vpc: false", "runner_in_vpc: true"))
    assert env.eks.runner_in_vpc


ADMIN = "arn:aws:iam::111111111111:role/orch-eks-admin"


def test_nobody_with_cluster_admin_is_refused(tmp_path: Path) -> None:
    env = _env(tmp_path, (f"arn: {EXECUTION}", "arn: null"), (f"admin_role_arns: [{ADMIN}]", "admin_role_arns: []"))
    with pytest.raises(ConfigError) as err:
        require_cluster_access(env, caller_arn=None, account_id=None, units=UNITS[:1], includes=INCLUDES)
    message = str(err.value)
    assert "\n" not in message and "nobody would get an EKS access entry" in message
    assert "execution_role.arn" in message and "eks.admin_role_arns" in message
    # An admin role listed instead is enough.
    env = _env(
        tmp_path,
        (f"arn: {EXECUTION}", "arn: null"),
        (f"admin_role_arns: [{ADMIN}]", f"admin_role_arns: [{ADMIN}]"),
    )
    require_cluster_access(env, caller_arn=None, account_id=None, units=UNITS[:1], includes=INCLUDES)


def test_an_identity_without_an_access_entry_is_refused_before_the_kubernetes_layer(tmp_path: Path) -> None:
    env = load_env_file(ENV_DIR / "env.yaml")
    someone = "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Developer_0123/jane@example.com"
    with pytest.raises(ConfigError) as err:
        require_cluster_access(env, caller_arn=someone, account_id="111111111111", units=UNITS, includes=INCLUDES)
    message = str(err.value)
    assert "\n" not in message and someone in message and "50-addons" in message
    assert "has no EKS access entry" in message
    # The same identity may plan the AWS-only layers.
    require_cluster_access(env, caller_arn=someone, account_id="111111111111", units=UNITS[:4], includes=INCLUDES)
    # Listed as an admin (SSO roles have a path the session ARN drops): accepted.
    sso_role = "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developer_0123"
    env = _env(tmp_path, (f"admin_role_arns: [{ADMIN}]", f"admin_role_arns: [{sso_role}]"))
    require_cluster_access(env, caller_arn=someone, account_id="111111111111", units=UNITS, includes=INCLUDES)


def test_local_mode_maps_env_yaml_roles_to_the_emulator_account() -> None:
    env = load_env_file(ENV_DIR / "env.yaml")
    local = "arn:aws:sts::123456789012:assumed-role/orch-terraform-execution/orch-dev"
    require_cluster_access(env, caller_arn=local, account_id="123456789012", units=UNITS, includes=INCLUDES)


@pytest.mark.parametrize(
    ("arn", "key"),
    [
        ("arn:aws:sts::111111111111:assumed-role/orch-ci/build-7", ("111111111111", "orch-ci")),
        ("arn:aws:iam::111111111111:role/orch-ci", ("111111111111", "orch-ci")),
        ("arn:aws:iam::111111111111:role/team/orch-ci", ("111111111111", "orch-ci")),
        ("arn:aws:iam::111111111111:user/jane", None),
        ("arn:aws:sts::111111111111:federated-user/jane", None),
    ],
)
def test_role_keys(arn: str, key: tuple[str, str] | None) -> None:
    assert role_key(arn) == key


@pytest.mark.engines
def test_graph_puts_node_groups_after_the_networking_addons(tmp_path: Path) -> None:
    """Issue 12, item 1: the unit creating vpc-cni and kube-proxy comes before the node groups.

    Run like a laptop with no AWS credentials at all: graph is offline even with an execution role.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ORCH_"))}
    env.update(AWS_CONFIG_FILE=str(tmp_path / "none"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"))
    proc = run_orch("graph", "--env", "eks-prod", "--format", "json", env=env)
    assert proc.returncode == 0, proc.stderr
    deps = {unit["path"]: unit["dependencies"] for unit in json.loads(proc.stdout)["units"]}
    assert "30-eks-cluster" in deps["40-nodegroups"]
    # 30-eks-cluster is where the networking add-ons live (its module's addons.tf), and the node
    # groups take the add-ons it created as an input their module validates.
    catalog = REPO / "environments/catalog/units"
    cluster_unit = (catalog / "30-eks-cluster.hcl").read_text()
    assert "//eks-cluster" in cluster_unit
    addons = (REPO / "terraform/modules/eks-cluster/addons.tf").read_text()
    assert 'resource "aws_eks_addon" "network"' in addons and "kube-proxy" in addons and "vpc-cni" in addons
    nodegroups_unit = (catalog / "40-nodegroups.hcl").read_text()
    assert "network_addons          = dependency.cluster.outputs.network_addons" in nodegroups_unit
    # Nothing that depends on the node groups creates them again.
    later = (REPO / "terraform/modules/eks-addons/main.tf").read_text()
    assert "vpc-cni = {" not in later and "kube-proxy = {" not in later


def test_a_hosted_zone_needs_its_domains_and_an_acme_contact(tmp_path: Path) -> None:
    """Issue 12, item 13: External DNS and the ClusterIssuer are wired from env.yaml, complete or refused."""
    env = load_env_file(ENV_DIR / "env.yaml")
    assert env.eks.route53_zone_arns and env.eks.external_dns_domain_filters and env.eks.acme_email
    with pytest.raises(ConfigError) as err:
        _env(tmp_path, ("  acme_email: platform-oncall@example.com\n", ""))
    assert "\n" not in str(err.value) and "acme_email" in str(err.value)


def test_a_ci_role_is_never_cluster_admin(tmp_path: Path) -> None:
    """Issue 18: CI roles get a view-only access entry, so they cannot apply the Kubernetes layer; Jenkins
    applies through the execution role, which is a cluster admin."""
    ci = "arn:aws:iam::111111111111:role/orch-ci"
    env = _env(tmp_path, ("ci_role_arns: []", f"ci_role_arns: [{ci}]"))
    with pytest.raises(ConfigError) as err:
        require_cluster_access(
            env,
            caller_arn="arn:aws:sts::111111111111:assumed-role/orch-ci/jenkins-7",
            account_id="111111111111",
            units=UNITS,
            includes=INCLUDES,
        )
    assert "has no EKS access entry with cluster admin" in str(err.value)
    # Nor are the developer and audit roles, although env.yaml gives them access entries.
    for role in ("orch-developer-readonly", "orch-audit-readonly"):
        with pytest.raises(ConfigError):
            require_cluster_access(
                env,
                caller_arn=f"arn:aws:sts::111111111111:assumed-role/{role}/jane",
                account_id="111111111111",
                units=UNITS,
                includes=INCLUDES,
            )
    # With only CI roles and no execution role or admin, nobody could apply 50-addons.
    env = _env(
        tmp_path,
        (f"arn: {EXECUTION}", "arn: null"),
        (f"admin_role_arns: [{ADMIN}]", "admin_role_arns: []"),
        ("ci_role_arns: []", f"ci_role_arns: [{ci}]"),
    )
    with pytest.raises(ConfigError) as err:
        require_cluster_access(env, caller_arn=None, account_id=None, units=UNITS[:1], includes=INCLUDES)
    assert "nobody would get an EKS access entry with admin rights" in str(err.value)


@pytest.mark.engines
def test_discovery_reports_the_catalog_file_that_configures_the_providers() -> None:
    """What orch passes as `includes` (Terragrunt's `find --include`) names the catalog files."""
    from orchestrator import discovery, tools

    found = discovery.discover(ENV_DIR, str(tools.find_tool("terragrunt")), {**os.environ, "ORCH_OFFLINE": "1"})
    includes = {ENV_DIR / unit: [ENV_DIR / name for name in f.includes] for unit, f in found.files.items()}
    assert [unit.name for unit in UNITS if talks_to_cluster(unit, includes[unit])] == ["50-addons", "90-monitoring"]
    assert not any(talks_to_cluster(unit) for unit in UNITS), "the unit files themselves are only includes"
