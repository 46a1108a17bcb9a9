"""The managed add-ons' catalogue (DescribeAddonVersions, CreateAddon's default version), a data table.

Known difference from AWS, on purpose: the versions come from this fixed table, not from AWS's live list.
"""

from __future__ import annotations

import re
from typing import Any

from orchestrator.emulator.patches.eks.catalogue import KUBERNETES_MINORS, kubernetes_minor, minor_key


def _minors(first: str, last: str) -> tuple[str, ...]:
    return tuple(m for m in KUBERNETES_MINORS if minor_key(first) <= minor_key(m) <= minor_key(last))


def _kube_proxy(*per_minor: tuple[str, str, str]) -> list[tuple[str, tuple[str, ...]]]:
    """kube-proxy builds are for one Kubernetes minor each: (minor, newest, default)."""
    versions: list[tuple[str, tuple[str, ...]]] = []
    for minor, newest, default in per_minor:
        versions.append((newest, (minor,)))
        if default != newest:
            versions.append((default, (minor,)))
    return versions


# Per add-on: its type, what it needs, its versions (each with the minors it supports) and the
# default version per minor (what CreateAddon installs without addonVersion).
ADDONS: dict[str, dict[str, Any]] = {
    "vpc-cni": {
        "type": "networking",
        "computeTypes": ["ec2"],
        "requiresIamPermissions": True,
        "versions": [
            ("v1.21.1-eksbuild.1", _minors("1.29", "1.35")),
            ("v1.20.4-eksbuild.2", _minors("1.29", "1.35")),
            ("v1.20.1-eksbuild.3", _minors("1.29", "1.34")),
            ("v1.19.6-eksbuild.7", _minors("1.29", "1.34")),
            ("v1.19.2-eksbuild.1", _minors("1.29", "1.33")),
            ("v1.18.5-eksbuild.1", _minors("1.29", "1.32")),
        ],
        "defaults": {
            "1.35": "v1.21.1-eksbuild.1",
            "1.34": "v1.20.4-eksbuild.2",
            "1.33": "v1.19.6-eksbuild.7",
            "1.32": "v1.19.2-eksbuild.1",
            "1.31": "v1.19.2-eksbuild.1",
            "1.30": "v1.18.5-eksbuild.1",
            "1.29": "v1.18.5-eksbuild.1",
        },
        "podIdentity": ("aws-node", ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]),
    },
    "kube-proxy": {
        "type": "networking",
        "computeTypes": ["ec2", "hybrid"],
        "requiresIamPermissions": False,
        "versions": _kube_proxy(
            ("1.35", "v1.35.0-eksbuild.2", "v1.35.0-eksbuild.2"),
            ("1.34", "v1.34.2-eksbuild.3", "v1.34.0-eksbuild.4"),
            ("1.33", "v1.33.5-eksbuild.2", "v1.33.3-eksbuild.6"),
            ("1.32", "v1.32.9-eksbuild.2", "v1.32.6-eksbuild.8"),
            ("1.31", "v1.31.13-eksbuild.2", "v1.31.10-eksbuild.8"),
            ("1.30", "v1.30.14-eksbuild.12", "v1.30.14-eksbuild.8"),
            ("1.29", "v1.29.15-eksbuild.14", "v1.29.15-eksbuild.5"),
        ),
        "defaults": {
            "1.35": "v1.35.0-eksbuild.2",
            "1.34": "v1.34.0-eksbuild.4",
            "1.33": "v1.33.3-eksbuild.6",
            "1.32": "v1.32.6-eksbuild.8",
            "1.31": "v1.31.10-eksbuild.8",
            "1.30": "v1.30.14-eksbuild.8",
            "1.29": "v1.29.15-eksbuild.5",
        },
    },
    "coredns": {
        "type": "networking",
        "computeTypes": ["ec2", "fargate", "hybrid"],
        "requiresIamPermissions": False,
        "versions": [
            ("v1.13.1-eksbuild.1", _minors("1.34", "1.35")),
            ("v1.12.4-eksbuild.1", _minors("1.33", "1.35")),
            ("v1.12.2-eksbuild.4", _minors("1.32", "1.34")),
            ("v1.11.4-eksbuild.24", _minors("1.29", "1.33")),
            ("v1.11.4-eksbuild.14", _minors("1.29", "1.32")),
        ],
        "defaults": {
            "1.35": "v1.13.1-eksbuild.1",
            "1.34": "v1.12.4-eksbuild.1",
            "1.33": "v1.12.2-eksbuild.4",
            "1.32": "v1.11.4-eksbuild.14",
            "1.31": "v1.11.4-eksbuild.14",
            "1.30": "v1.11.4-eksbuild.14",
            "1.29": "v1.11.4-eksbuild.14",
        },
    },
    "aws-ebs-csi-driver": {
        "type": "storage",
        "computeTypes": ["ec2"],
        "requiresIamPermissions": True,
        "versions": [
            ("v1.53.0-eksbuild.1", _minors("1.29", "1.35")),
            ("v1.51.1-eksbuild.1", _minors("1.29", "1.34")),
            ("v1.48.0-eksbuild.2", _minors("1.29", "1.33")),
            ("v1.45.0-eksbuild.2", _minors("1.29", "1.33")),
        ],
        "defaults": {
            "1.35": "v1.53.0-eksbuild.1",
            "1.34": "v1.51.1-eksbuild.1",
            **dict.fromkeys(_minors("1.29", "1.33"), "v1.48.0-eksbuild.2"),
        },
        "podIdentity": (
            "ebs-csi-controller-sa",
            ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"],
        ),
    },
    "aws-efs-csi-driver": {
        "type": "storage",
        "computeTypes": ["ec2"],
        "requiresIamPermissions": True,
        "versions": [
            ("v2.1.15-eksbuild.1", _minors("1.29", "1.35")),
            ("v2.1.12-eksbuild.1", _minors("1.29", "1.34")),
            ("v2.1.9-eksbuild.1", _minors("1.29", "1.33")),
        ],
        "defaults": {
            "1.35": "v2.1.15-eksbuild.1",
            "1.34": "v2.1.12-eksbuild.1",
            **dict.fromkeys(_minors("1.29", "1.33"), "v2.1.9-eksbuild.1"),
        },
        "podIdentity": (
            "efs-csi-controller-sa",
            ["arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy"],
        ),
    },
    "eks-pod-identity-agent": {
        "type": "security",
        "computeTypes": ["ec2", "hybrid"],
        "requiresIamPermissions": False,
        "versions": [
            ("v1.3.10-eksbuild.1", _minors("1.29", "1.35")),
            ("v1.3.8-eksbuild.2", _minors("1.29", "1.34")),
            ("v1.3.7-eksbuild.2", _minors("1.29", "1.33")),
        ],
        "defaults": {
            **dict.fromkeys(_minors("1.34", "1.35"), "v1.3.10-eksbuild.1"),
            **dict.fromkeys(_minors("1.29", "1.33"), "v1.3.8-eksbuild.2"),
        },
    },
    # 90-monitoring's Container Insights agent (AWS-published add-on, not an EKS-built one).
    "amazon-cloudwatch-observability": {
        "type": "observability",
        "computeTypes": ["ec2", "hybrid"],
        "requiresIamPermissions": True,
        "versions": [
            ("v4.7.0-eksbuild.1", _minors("1.29", "1.35")),
            ("v4.5.0-eksbuild.1", _minors("1.29", "1.34")),
            ("v4.1.0-eksbuild.1", _minors("1.29", "1.33")),
        ],
        "defaults": {
            **dict.fromkeys(_minors("1.34", "1.35"), "v4.7.0-eksbuild.1"),
            **dict.fromkeys(_minors("1.29", "1.33"), "v4.1.0-eksbuild.1"),
        },
    },
}

_VERSION_RE = re.compile(r"^v(\d+)\.(\d+)\.(\d+)-eksbuild\.(\d+)$")


def _version_key(version: str) -> tuple[int, ...]:
    match = _VERSION_RE.match(version)
    return tuple(int(g) for g in match.groups()) if match else (0,)


def addon_info(addon_name: str, kubernetes_version: str | None = None) -> dict[str, Any] | None:
    """One AddonInfo of DescribeAddonVersions: versions newest first, each with its compatibilities
    (only `kubernetes_version`'s when given, as AWS filters them); None for an unknown add-on."""
    spec = ADDONS.get(addon_name)
    if spec is None:
        return None
    wanted = kubernetes_minor(kubernetes_version) if kubernetes_version else None
    versions = []
    for version, minors in sorted(spec["versions"], key=lambda v: _version_key(v[0]), reverse=True):
        compatible = [m for m in sorted(minors, key=minor_key, reverse=True) if wanted in (None, m)]
        if not compatible:
            continue
        versions.append(
            {
                "addonVersion": version,
                "architecture": ["amd64", "arm64"],
                "computeTypes": list(spec["computeTypes"]),
                "compatibilities": [
                    {
                        "clusterVersion": m,
                        "platformVersions": ["*"],
                        "defaultVersion": spec["defaults"].get(m) == version,
                    }
                    for m in compatible
                ],
                "requiresConfiguration": False,
                "requiresIamPermissions": spec["requiresIamPermissions"],
            }
        )
    return {
        "addonName": addon_name,
        "type": spec["type"],
        "addonVersions": versions,
        "publisher": "eks",
        "owner": "aws",
        "defaultNamespace": "kube-system",
    }


def default_addon_version(addon_name: str, kubernetes_version: str) -> str | None:
    spec = ADDONS.get(addon_name)
    return spec["defaults"].get(kubernetes_minor(kubernetes_version)) if spec else None


def addon_version_supported(addon_name: str, version: str, kubernetes_version: str | None = None) -> bool:
    spec = ADDONS.get(addon_name)
    if spec is None:
        return False
    minor = kubernetes_minor(kubernetes_version) if kubernetes_version else None
    return any(v == version and (minor is None or minor in minors) for v, minors in spec["versions"])


def release_version(kubernetes_version: str) -> str:
    """An EKS AMI release version for a minor (its kube-proxy patch level and a release date)."""
    minor = kubernetes_minor(kubernetes_version)
    builds = [v for v, minors in ADDONS["kube-proxy"]["versions"] if minors == (minor,)]
    patch = _VERSION_RE.match(builds[0]).group(3) if builds else "0"  # type: ignore[union-attr]  # every version in the table matches _VERSION_RE
    return f"{minor}.{patch}-20260115"
