"""Can the identity that applies this environment reach and log in to its EKS cluster?

Checked before any engine starts, because the failure it prevents comes late and obscure: a
Kubernetes/Helm provider that cannot authenticate fails in the middle of 50-addons with a 401,
after the layers before it were applied. Two rules, from env.yaml and the run's identity:

- someone gets cluster admin: `execution_role.arn` or `eks.admin_role_arns` (30-eks-cluster gives
  each an access entry with AmazonEKSClusterAdminPolicy); with none, nobody could ever apply
  50-addons. CI roles (`eks.ci_role_arns`) are never cluster admin: Jenkins applies through the
  execution role;
- the identity of this run is one of them, when the selection includes a unit that talks to the
  cluster's API (its terragrunt.hcl generates the shared Kubernetes/Helm providers).

Reaching the endpoint (public CIDRs or a runner in the VPC) is checked when env.yaml is loaded
(config.EnvConfig). The Kubernetes layer re-checks on the AWS side at plan time: its providers
file reads the applying identity's access entry (environments/catalog/kubernetes_providers.tf).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from orchestrator.errors import ConfigError

if TYPE_CHECKING:
    # A type only: a `--dir` run reaches this module (steps.py's error hints) without env.yaml's models.
    from orchestrator.config import EnvConfig

_ASSUMED_ROLE = re.compile(r"^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role/([^/]+)/[^/]+$")
_ROLE = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/(?:.*/)?([^/]+)$")
# What a unit's terragrunt.hcl holds when it configures providers that call the Kubernetes API.
_KUBERNETES_PROVIDERS = ("kubernetes_providers.tf", 'provider "kubernetes"', 'provider "helm"')


def talks_to_cluster(unit_dir: Path, includes: Iterable[Path] = ()) -> bool:
    """True when the unit configures the Kubernetes or Helm provider (it needs an access entry): its
    terragrunt.hcl or a file it includes (the catalog unit; Terragrunt's `find --include` lists them)."""
    for config in (unit_dir / "terragrunt.hcl", *includes):
        try:
            text = config.read_text()
        except OSError:
            continue
        if any(marker in text for marker in _KUBERNETES_PROVIDERS):
            return True
    return False


def role_key(arn: str) -> tuple[str, str] | None:
    """(account, role name) of a role ARN or of a session of that role; None for anything else.

    An assumed-role ARN drops the role's path (SSO roles live under aws-reserved/...), so roles
    are compared by account and name.
    """
    for pattern in (_ASSUMED_ROLE, _ROLE):
        match = pattern.match(arn)
        if match:
            return match.group(2), match.group(3)
    return None


def cluster_admins(env: EnvConfig) -> list[str]:
    """Role ARNs that 30-eks-cluster gives an access entry with cluster-wide admin rights (not the
    CI, developer or audit roles: their access policies cannot install CRDs or cluster RBAC)."""
    roles = [env.execution_role.arn] if env.execution_role.arn else []
    return [*roles, *env.eks.admin_role_arns]


def require_cluster_access(
    env: EnvConfig,
    *,
    caller_arn: str | None,
    account_id: str | None,
    units: Iterable[Path],
    includes: Mapping[Path, Sequence[Path]] | None = None,
) -> None:
    """Raise ConfigError (one line, naming env.yaml and the identity) when the run could not log in.

    `account_id` is the account the run works in (local mode: the emulator's, which stands in for
    env.yaml's); `units` are the selected unit directories, `includes` the files each includes.
    """
    where = str(env.path) if env.path else f"environment {env.name}"
    api_units = [unit.name for unit in units if talks_to_cluster(unit, (includes or {}).get(unit, ()))]
    admins = cluster_admins(env)
    if not admins:
        raise ConfigError(
            f"{where}: nobody would get an EKS access entry with admin rights: set execution_role.arn"
            " (the bootstrap/10-iam-baseline output) or eks.admin_role_arns"
        )
    if not api_units or not caller_arn:
        return
    caller = role_key(caller_arn)
    wanted = {key for arn in admins if (key := role_key(arn)) is not None}
    if account_id:
        wanted = {(account_id, name) for _, name in wanted}
    if caller is None or caller not in wanted:
        raise ConfigError(
            f"{where}: {caller_arn} would apply {', '.join(api_units)} but has no EKS access entry"
            " with cluster admin (it is not execution_role.arn or in eks.admin_role_arns): the Kubernetes"
            " API would refuse its CRDs and cluster RBAC; run as one of those roles or add it there and"
            " apply 30-eks-cluster"
        )


_MISSING_ENTRY = re.compile(r"reading EKS Access Entry \(([^,)]+)[,:]([^)]+)\)")


def access_entry_hint(log_text: str) -> str | None:
    """The fix for a plan that failed on the providers file's access-entry check, or None."""
    match = _MISSING_ENTRY.search(log_text)
    if match is None or ("couldn't find resource" not in log_text and "NotFound" not in log_text):
        return None
    cluster, principal = match.group(1), match.group(2)
    return (
        f"{principal} has no access entry on EKS cluster {cluster}, so the Kubernetes API would refuse it:"
        " re-apply 30-eks-cluster (it grants execution_role.arn) or run as a role env.yaml lists"
    )
