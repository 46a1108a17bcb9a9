"""One definition, many environments (issue 19): eks-prod, eks-staging and eks-dev run the same units
from environments/catalog and differ only in env.yaml.

Rendering uses the real Terragrunt (`terragrunt render`, offline: ORCH_OFFLINE makes every dependency
take its mocks); the env.yaml rules go through the library loader every command calls first.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_root_config import render

from orchestrator import tools
from orchestrator.config import available_envs, load_env, load_env_file
from orchestrator.errors import ConfigError
from tests.helpers import REPO, run_orch

LIVE = REPO / "environments" / "LIVE"
ENVIRONMENTS = ["eks-dev", "eks-prod", "eks-staging"]


def tracked_files(env_dir: Path) -> dict[str, bytes]:
    """The environment's files as git would commit them (dot-files are engine caches and lock files)."""
    return {
        str(p.relative_to(env_dir)): p.read_bytes()
        for p in sorted(env_dir.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(env_dir).parts)
    }


def test_the_three_environments_exist() -> None:
    assert set(ENVIRONMENTS) <= set(available_envs())


@pytest.mark.parametrize("other", ["eks-staging", "eks-dev"])
def test_environment_folders_differ_only_in_env_yaml(other: str) -> None:
    prod, theirs = tracked_files(LIVE / "eks-prod"), tracked_files(LIVE / other)
    assert sorted(prod) == sorted(theirs), "the same units in every environment"
    differing = sorted(name for name in prod if prod[name] != theirs[name])
    assert differing == ["env.yaml"]


def test_orch_graph_is_the_same_dag_for_every_environment() -> None:
    graphs = {}
    for env in ENVIRONMENTS:
        proc = run_orch("graph", "--env", env, "--format", "json", timeout=120)
        assert proc.returncode == 0, proc.stderr
        graphs[env] = json.loads(proc.stdout)
    assert graphs["eks-prod"]["units"], "a non-empty graph"
    assert graphs["eks-staging"] == graphs["eks-prod"] == graphs["eks-dev"]


@pytest.mark.engines
@pytest.mark.parametrize("name", ENVIRONMENTS)
def test_each_environment_renders_its_own_numbers(name: str, engine_env: dict[str, str]) -> None:
    """The catalog's units take every per-environment value from that environment's env.yaml."""
    env = load_env(name)
    net = render(LIVE / name / "10-networking", engine_env)
    assert net["inputs"]["vpc_cidr"] == env.network.vpc_cidr
    assert net["inputs"]["private_subnet_cidrs"] == env.network.private_subnet_cidrs
    assert net["inputs"]["single_nat_gateway"] is env.network.single_nat_gateway
    assert net["inputs"]["environment"] == name
    state = net["remote_state"]["config"]
    assert state["bucket"] == env.state.bucket
    assert state["key"] == f"{env.state.key_prefix}/10-networking/terraform.tfstate"
    assert f'allowed_account_ids = ["{env.account_id}"]' in net["generate"]["provider"]["contents"]

    nodes = render(LIVE / name / "40-nodegroups", engine_env)["inputs"]["node_groups"]
    assert {k: (g["min_size"], g["max_size"]) for k, g in nodes.items()} == {
        k: (g.min_size, g.max_size) for k, g in env.node_groups.items()
    }
    database = render(LIVE / name / "60-database", engine_env)["inputs"]
    assert (database["instance_class"], database["instance_count"]) == (
        env.database.instance_class,
        env.database.instance_count,
    )
    cache = render(LIVE / name / "70-cache", engine_env)["inputs"]
    assert cache["num_node_groups"] == env.cache.num_node_groups


def test_the_environments_are_sized_for_their_purpose() -> None:
    prod, staging, dev = load_env("eks-prod"), load_env("eks-staging"), load_env("eks-dev")
    # Production keeps every plan.md number.
    assert prod.network.vpc_cidr == "10.0.0.0/16" and not prod.network.single_nat_gateway
    assert prod.database.instance_count == 2 and prod.cache.num_node_groups == 2
    assert {k: (g.min_size, g.max_size) for k, g in prod.node_groups.items()} == {
        "system": (2, 4),
        "application": (2, 10),
        "spot": (0, 20),
    }
    # Dev saves: one NAT gateway, one Aurora instance, smaller groups.
    assert dev.tier == "dev" and dev.network.single_nat_gateway and dev.database.instance_count == 1
    assert all(g.max_size <= prod.node_groups[k].max_size for k, g in dev.node_groups.items())
    # Staging: production's shape, smaller.
    assert staging.tier == "staging" and not staging.network.single_nat_gateway
    assert len({prod.account_id, staging.account_id, dev.account_id}) == 3


def copy_live(tmp_path: Path, names: list[str]) -> Path:
    live = tmp_path / "environments" / "LIVE"
    for name in names:
        (live / name).mkdir(parents=True)
        shutil.copy(LIVE / name / "env.yaml", live / name / "env.yaml")
    return live


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path}: {old!r} not found; update the test"
    path.write_text(text.replace(old, new))


def test_overlapping_cidrs_across_environments_name_both_files(tmp_path: Path) -> None:
    live = copy_live(tmp_path, ["eks-prod", "eks-staging"])
    load_env_file(live / "eks-staging" / "env.yaml")  # distinct ranges: fine
    staging = live / "eks-staging" / "env.yaml"
    staging.write_text(staging.read_text().replace(" 10.1.", " 10.0.").replace("[10.1.", "[10.0."))
    with pytest.raises(ConfigError) as caught:
        load_env_file(live / "eks-staging" / "env.yaml")
    message = str(caught.value)
    assert "\n" not in message
    assert str(live / "eks-staging" / "env.yaml") in message and str(live / "eks-prod" / "env.yaml") in message
    assert "network.vpc_cidr 10.0.0.0/16 overlaps 10.0.0.0/16" in message


def test_two_environments_may_not_manage_the_same_names_in_one_zone(tmp_path: Path) -> None:
    """External DNS of both clusters would overwrite each other's records; a parent domain covers its
    subdomains. Distinct zones (as eks-prod and eks-staging have) or disjoint domains are fine."""
    live = copy_live(tmp_path, ["eks-prod", "eks-staging"])
    staging = live / "eks-staging" / "env.yaml"
    load_env_file(staging)
    edit(staging, "hostedzone/Z0EXAMPLESTAGING", "hostedzone/Z0EXAMPLEPLATFORM")
    with pytest.raises(ConfigError) as caught:
        load_env_file(staging)
    message = str(caught.value)
    assert "\n" not in message and str(staging) in message and str(live / "eks-prod" / "env.yaml") in message
    assert "staging.platform.example.com and platform.example.com" in message and "Z0EXAMPLEPLATFORM" in message
    edit(staging, "[staging.platform.example.com]", "[staging.example.net]")
    load_env_file(staging)  # the same zone, names the other cluster does not manage


@pytest.mark.parametrize(
    ("old", "new", "culprit"),
    [
        ("single_nat_gateway: false", "single_nat_gateway: true", "network.single_nat_gateway"),
        ("instance_count: 2", "instance_count: 1", "database.instance_count"),
        (
            "private_subnet_cidrs: [10.0.10.0/24, 10.0.11.0/24]",
            "private_subnet_cidrs: [10.0.10.0/24]",
            "network.private_subnet_cidrs has 1 entries for 2 availability_zones",
        ),
        (
            "database_subnet_cidrs: [10.0.20.0/24, 10.0.21.0/24]",
            "database_subnet_cidrs: [10.9.20.0/24, 10.0.21.0/24]",
            "database_subnet_cidrs: 10.9.20.0/24 is outside vpc_cidr 10.0.0.0/16",
        ),
        (
            "pod_subnet_cidrs: [10.0.100.0/22, 10.0.104.0/22]",
            "pod_subnet_cidrs: [10.0.100.0/22, 10.0.10.0/24]",
            "overlaps",
        ),
        (
            "    min_size: 2\n    max_size: 4\n",
            "    min_size: 5\n    max_size: 4\n",
            "min_size <= desired_size <= max_size",
        ),
    ],
)
def test_production_and_network_rules_are_refused_in_one_line(tmp_path: Path, old: str, new: str, culprit: str) -> None:
    path = tmp_path / "env.yaml"
    path.write_text((LIVE / "eks-prod" / "env.yaml").read_text())
    edit(path, old, new)
    with pytest.raises(ConfigError) as caught:
        load_env_file(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and culprit in message


def test_dev_may_save_what_production_may_not() -> None:
    dev = yaml.safe_load((LIVE / "eks-dev" / "env.yaml").read_text())
    assert dev["network"]["single_nat_gateway"] is True and dev["database"]["instance_count"] == 1
    load_env("eks-dev")  # accepted: tier dev


@pytest.mark.engines
def test_a_catalog_change_selects_its_unit_in_every_environment(engine_env: dict[str, str]) -> None:
    """`--changed-since` maps a changed catalog file to the units that include or read it, in any
    environment (Terragrunt's `find --include --reading`, as orch's plan runs it)."""
    from orchestrator import discovery
    from orchestrator.selection import units_for_files

    for name in ("eks-prod", "eks-dev"):
        found = discovery.discover(LIVE / name, str(tools.find_tool("terragrunt")), {**engine_env, "ORCH_OFFLINE": "1"})
        reads = {unit: [*f.includes, *f.reading] for unit, f in found.files.items()}

        def touched(path: str, found: Any = found, reads: Any = reads) -> list[str]:
            return sorted(units_for_files(found.graph, [path], {}, reads))

        assert touched("../../catalog/units/60-database.hcl") == ["60-database"]
        assert touched("../../catalog/deps/cluster.hcl") == ["40-nodegroups", "50-addons", "90-monitoring"]
        assert touched("../../catalog/kubernetes_providers.tf") == ["50-addons", "90-monitoring"]
        assert touched("../../root.hcl") == sorted(found.graph.paths)
        assert touched("../settings.hcl") == sorted(found.graph.paths)
        assert touched("../eks-staging/env.yaml") == []
