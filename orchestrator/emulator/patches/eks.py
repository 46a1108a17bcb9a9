"""EKS: the access-entry, add-on, update and pod-identity APIs moto lacks, and the cluster and
node-group fields its CreateCluster/CreateNodegroup drop.

Why: moto 5.2 serves clusters, node groups and Fargate profiles only. It has no access entries
(CreateAccessEntry, AssociateAccessPolicy, ...), no managed add-ons (CreateAddon,
DescribeAddonVersions, ...), no DescribeUpdate/ListUpdates, and it drops accessConfig,
upgradePolicy and bootstrapSelfManagedAddons from CreateCluster and updateConfig from
CreateNodegroup; its UpdateClusterConfig answers a cluster where AWS answers an update. The AWS
provider reads all of these back (and waits on DescribeUpdate after every update), so without
them 30-eks-cluster, 40-nodegroups and 50-addons could not use access entries, upgrade policies,
update configs or managed add-ons locally.

Shapes follow botocore's eks service model (the AWS provider is generated from the same model):
field names, required parameters, opaque nextToken pagination and the error codes each operation
declares, with the JSON error body moto's EKS already uses (x-amzn-ErrorType header, the
`message` and the resource names). Messages are AWS's where they are known from real answers.

What AWS does over minutes happens at once here: an add-on answers CREATING to CreateAddon and is
ACTIVE on the next read; DeleteAddon answers DELETING and the add-on is gone on the next read; an
UpdateX call answers its update InProgress and DescribeUpdate finds it Successful.

Known differences from AWS, on purpose:
- add-on versions come from the fixed catalogue below (ADDONS), not from AWS's live list;
- configurationValues must parse as a JSON/YAML object, but are not checked against the schema;
- DescribeCluster does not return accessConfig.bootstrapClusterCreatorAdminPermissions (AWS does
  not either; the provider keeps its configured value) nor bootstrapSelfManagedAddons (not in the
  Cluster shape); both are kept on the cluster.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any, NoReturn, cast

# ------------------------------------------------------------------------------------------
# Catalogue: access policies and add-on versions
# ------------------------------------------------------------------------------------------

# `aws eks list-access-policies` as AWS answered it in 2026 (name order, as AWS lists them).
ACCESS_POLICY_NAMES = (
    "AIDevOpsAgentAccessPolicy",
    "AmazonAIOpsAssistantPolicy",
    "AmazonARCRegionSwitchScalingPolicy",
    "AmazonEKSACKPolicy",
    "AmazonEKSAdminPolicy",
    "AmazonEKSAdminViewPolicy",
    "AmazonEKSArgoCDClusterPolicy",
    "AmazonEKSArgoCDPolicy",
    "AmazonEKSAutoNodePolicy",
    "AmazonEKSBlockStorageClusterPolicy",
    "AmazonEKSBlockStoragePolicy",
    "AmazonEKSClusterAdminPolicy",
    "AmazonEKSComputeClusterPolicy",
    "AmazonEKSComputePolicy",
    "AmazonEKSEditPolicy",
    "AmazonEKSEventPolicy",
    "AmazonEKSHybridPolicy",
    "AmazonEKSKROPolicy",
    "AmazonEKSLoadBalancingClusterPolicy",
    "AmazonEKSLoadBalancingPolicy",
    "AmazonEKSNetworkingClusterPolicy",
    "AmazonEKSNetworkingPolicy",
    "AmazonEKSPodIdentityPolicy",
    "AmazonEKSSecretAdminPolicy",
    "AmazonEKSSecretReaderPolicy",
    "AmazonEKSViewPolicy",
    "AmazonEMRJobPolicy",
    "AmazonSagemakerHyperpodClusterPolicy",
    "AmazonSagemakerHyperpodControllerPolicy",
    "AmazonSagemakerHyperpodSpacePolicy",
    "AmazonSagemakerHyperpodSpaceTemplatePolicy",
    "AmazonSagemakerHyperpodSystemNamespacePolicy",
    "AmazonSagemakerHyperpodUserClusterPolicy",
)
CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy"


def access_policy_arn(name: str, partition: str = "aws") -> str:
    return f"arn:{partition}:eks::aws:cluster-access-policy/{name}"


# Kubernetes minors the catalogue covers (standard and extended support in 2026).
KUBERNETES_MINORS = ("1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35")
# What CreateCluster uses when no version is given (moto's own default is 1.19).
DEFAULT_CLUSTER_VERSION = "1.34"


def _minors(first: str, last: str) -> tuple[str, ...]:
    return tuple(m for m in KUBERNETES_MINORS if _minor_key(first) <= _minor_key(m) <= _minor_key(last))


def _minor_key(version: str) -> tuple[int, int]:
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


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


def kubernetes_minor(version: str) -> str:
    """'1.35', '1.35.2' or 'v1.35' -> '1.35'."""
    major, minor = version.lstrip("v").split(".")[:2]
    return f"{major}.{minor}"


def addon_info(addon_name: str, kubernetes_version: str | None = None) -> dict[str, Any] | None:
    """One AddonInfo of DescribeAddonVersions: versions newest first, each with its compatibilities
    (only `kubernetes_version`'s when given, as AWS filters them); None for an unknown add-on."""
    spec = ADDONS.get(addon_name)
    if spec is None:
        return None
    wanted = kubernetes_minor(kubernetes_version) if kubernetes_version else None
    versions = []
    for version, minors in sorted(spec["versions"], key=lambda v: _version_key(v[0]), reverse=True):
        compatible = [m for m in sorted(minors, key=_minor_key, reverse=True) if wanted in (None, m)]
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


def parse_configuration_values(text: str) -> dict[str, Any]:
    """configurationValues as EKS reads them: a JSON or YAML object ('' is no configuration)."""
    import yaml

    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError(f"Failed to parse configurationValues as JSON or YAML: {exc}") from None
    if not isinstance(value, dict):
        raise ValueError("configurationValues must be a JSON or YAML object")
    return value


# ------------------------------------------------------------------------------------------
# Add-on configuration schemas (DescribeAddonConfiguration), after the real add-ons' schemas
# ------------------------------------------------------------------------------------------

_STR = {"type": "string"}
_BOOL_STR = {"type": "string", "format": "boolean"}
_INT_STR = {"type": "string", "format": "integer"}
_OBJ = {"type": "object"}
_RESOURCES = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"limits": _OBJ, "requests": _OBJ},
}
_TOLERATIONS = {"type": "array", "items": _OBJ}
_COMMON_POD = {
    "affinity": _OBJ,
    "nodeSelector": {"type": "object", "additionalProperties": _STR},
    "podAnnotations": {"type": "object", "additionalProperties": _STR},
    "podLabels": {"type": "object", "additionalProperties": _STR},
    "resources": _RESOURCES,
    "tolerations": _TOLERATIONS,
}

_VPC_CNI_ENV = {
    "ADDITIONAL_ENI_TAGS": _STR,
    "ANNOTATE_POD_IP": _BOOL_STR,
    "AWS_EC2_ENDPOINT": _STR,
    "AWS_EXTERNAL_SNAT": _BOOL_STR,
    "AWS_MANAGE_ENIS_NON_SCHEDULABLE": _BOOL_STR,
    "AWS_VPC_CNI_NODE_PORT_SUPPORT": _BOOL_STR,
    "AWS_VPC_ENI_MTU": _INT_STR,
    "AWS_VPC_K8S_CNI_CONFIGURE_RPFILTER": _BOOL_STR,
    "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG": _BOOL_STR,
    "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS": _STR,
    "AWS_VPC_K8S_CNI_EXTERNALSNAT": _BOOL_STR,
    "AWS_VPC_K8S_CNI_LOGLEVEL": _STR,
    "AWS_VPC_K8S_CNI_LOG_FILE": _STR,
    "AWS_VPC_K8S_CNI_RANDOMIZESNAT": _STR,
    "AWS_VPC_K8S_CNI_VETHPREFIX": _STR,
    "AWS_VPC_K8S_PLUGIN_LOG_FILE": _STR,
    "AWS_VPC_K8S_PLUGIN_LOG_LEVEL": _STR,
    "CLUSTER_ENDPOINT": _STR,
    "DISABLE_INTROSPECTION": _BOOL_STR,
    "DISABLE_METRICS": _BOOL_STR,
    "DISABLE_NETWORK_RESOURCE_PROVISIONING": _BOOL_STR,
    "ENABLE_IPv4": _BOOL_STR,
    "ENABLE_IPv6": _BOOL_STR,
    "ENABLE_POD_ENI": _BOOL_STR,
    "ENABLE_PREFIX_DELEGATION": _BOOL_STR,
    "ENABLE_SUBNET_DISCOVERY": _BOOL_STR,
    "ENI_CONFIG_ANNOTATION_DEF": _STR,
    "ENI_CONFIG_LABEL_DEF": _STR,
    "INTROSPECTION_BIND_ADDRESS": _STR,
    "IP_COOLDOWN_PERIOD": _INT_STR,
    "MAX_ENI": _INT_STR,
    "MINIMUM_IP_TARGET": _INT_STR,
    "NETWORK_POLICY_ENFORCING_MODE": _STR,
    "POD_SECURITY_GROUP_ENFORCING_MODE": _STR,
    "WARM_ENI_TARGET": _INT_STR,
    "WARM_IP_TARGET": _INT_STR,
    "WARM_PREFIX_TARGET": _INT_STR,
}

_VPC_CNI_SCHEMA = {
    "$ref": "#/definitions/VpcCni",
    "$schema": "http://json-schema.org/draft-06/schema#",
    "definitions": {
        "EniConfig": {
            "additionalProperties": False,
            "properties": {
                "create": {"type": "boolean"},
                "region": {"type": "string"},
                "subnets": {
                    "additionalProperties": {
                        "additionalProperties": False,
                        "properties": {
                            "id": {"type": "string"},
                            "securityGroups": {"items": {"type": "string"}, "type": "array"},
                        },
                        "required": ["id"],
                        "type": "object",
                    },
                    "type": "object",
                },
            },
            "required": ["create", "region", "subnets"],
            "title": "EniConfig",
            "type": "object",
        },
        "Env": {"additionalProperties": False, "properties": _VPC_CNI_ENV, "title": "Env", "type": "object"},
        "VpcCni": {
            "additionalProperties": False,
            "properties": {
                "affinity": _OBJ,
                "enableNetworkPolicy": _BOOL_STR,
                "enableWindowsIpam": _BOOL_STR,
                "enableWindowsPrefixDelegation": _BOOL_STR,
                "eniConfig": {"$ref": "#/definitions/EniConfig"},
                "env": {"$ref": "#/definitions/Env"},
                "init": {
                    "additionalProperties": False,
                    "properties": {"env": {"type": "object", "additionalProperties": _STR}, "resources": _RESOURCES},
                    "type": "object",
                },
                "livenessProbeTimeoutSeconds": {"type": "integer"},
                "nodeAgent": {
                    "additionalProperties": False,
                    "properties": {
                        "enableCloudWatchLogs": _BOOL_STR,
                        "enablePolicyEventLogs": _BOOL_STR,
                        "healthProbeBindAddr": _INT_STR,
                        "metricsBindAddr": _INT_STR,
                        "resources": _RESOURCES,
                    },
                    "type": "object",
                },
                "podAnnotations": _COMMON_POD["podAnnotations"],
                "podLabels": _COMMON_POD["podLabels"],
                "readinessProbeTimeoutSeconds": {"type": "integer"},
                "resources": _RESOURCES,
                "tolerations": _TOLERATIONS,
                "updateStrategy": _OBJ,
            },
            "title": "VpcCni",
            "type": "object",
        },
    },
    "description": "vpc-cni",
    "title": "vpc-cni",
    "type": "object",
}


def _simple_schema(name: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-06/schema#",
        "additionalProperties": False,
        "description": name,
        "properties": properties,
        "title": name,
        "type": "object",
    }


_CSI_PART = {"type": "object", "properties": {**_COMMON_POD, "loggingFormat": _STR, "logLevel": {"type": "integer"}}}
ADDON_SCHEMAS: dict[str, dict[str, Any]] = {
    "vpc-cni": _VPC_CNI_SCHEMA,
    "coredns": _simple_schema(
        "coredns",
        {
            **_COMMON_POD,
            "autoScaling": {
                "type": "object",
                "properties": {
                    "enabled": {"type": "boolean"},
                    "minReplicas": {"type": "integer"},
                    "maxReplicas": {"type": "integer"},
                },
            },
            "computeType": _STR,
            "corefile": _STR,
            "podDisruptionBudget": {
                "type": "object",
                "properties": {"enabled": {"type": "boolean"}, "maxUnavailable": {}, "minAvailable": {}},
            },
            "replicaCount": {"type": "integer"},
            "topologySpreadConstraints": {"type": "array", "items": _OBJ},
        },
    ),
    "kube-proxy": _simple_schema(
        "kube-proxy",
        {
            **_COMMON_POD,
            "ipvs": {"type": "object", "properties": {"scheduler": _STR}},
            "mode": {"enum": ["iptables", "ipvs", "nftables"], "type": "string"},
        },
    ),
    "aws-ebs-csi-driver": _simple_schema(
        "aws-ebs-csi-driver",
        {
            "controller": _CSI_PART,
            "defaultStorageClass": {"type": "object", "properties": {"enabled": {"type": "boolean"}}},
            "node": _CSI_PART,
            "sidecars": _OBJ,
            "volumeAttributeClasses": _OBJ,
        },
    ),
    "aws-efs-csi-driver": _simple_schema(
        "aws-efs-csi-driver",
        {"controller": _CSI_PART, "node": _CSI_PART, "sidecars": _OBJ},
    ),
    "eks-pod-identity-agent": _simple_schema(
        "eks-pod-identity-agent",
        {**_COMMON_POD, "agent": {"type": "object", "properties": {"additionalArgs": _OBJ}}},
    ),
    "amazon-cloudwatch-observability": _simple_schema(
        "amazon-cloudwatch-observability",
        {**_COMMON_POD, "agent": _OBJ, "containerLogs": _OBJ, "manager": _OBJ},
    ),
}


# ------------------------------------------------------------------------------------------
# Small shared helpers
# ------------------------------------------------------------------------------------------

PRINCIPAL_RE = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):iam::(?P<account>\d{12}):(?P<kind>role|user)/(?P<path>(?:[^/]+/)*)(?P<name>[^/]+)$"
)
ACCESS_ENTRY_TYPES = ("STANDARD", "EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "EC2", "HYBRID_LINUX", "HYPERPOD_LINUX")
# What AWS sets on the non-STANDARD (node) entry types, which take no groups or username.
NODE_ENTRY_IDENTITY = {
    "EC2_LINUX": ("system:node:{{EC2PrivateDNSName}}", ["system:nodes"]),
    "EC2_WINDOWS": ("system:node:{{EC2PrivateDNSName}}", ["system:nodes", "eks:kube-proxy-windows"]),
    "FARGATE_LINUX": ("system:node:{{SessionName}}", ["system:nodes"]),
    "EC2": ("system:node:{{EC2PrivateDNSName}}", []),
    "HYBRID_LINUX": ("system:node:{{SessionName}}", ["system:nodes"]),
    "HYPERPOD_LINUX": ("system:node:{{SessionName}}", ["system:nodes"]),
}
RESERVED_PREFIXES = ("system:", "eks:", "aws:", "amazon:", "iam:")
AUTH_MODE_TRANSITIONS = {("CONFIG_MAP", "API_AND_CONFIG_MAP"), ("API_AND_CONFIG_MAP", "API")}
AUTH_MODES = ("API", "API_AND_CONFIG_MAP", "CONFIG_MAP")
ROLE_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+")


def default_username(principal_arn: str) -> str:
    """The Kubernetes username AWS gives a STANDARD entry: the session of a role, the ARN of a user."""
    match = PRINCIPAL_RE.match(principal_arn)
    if match and match["kind"] == "role":
        return f"arn:{match['partition']}:sts::{match['account']}:assumed-role/{match['name']}/{{{{SessionName}}}}"
    return principal_arn


def encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def decode_token(token: str) -> int:
    try:
        offset = json.loads(base64.urlsafe_b64decode(token.encode()))["offset"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ValueError("The nextToken is not valid.") from None
    if not isinstance(offset, int) or offset < 0:
        raise ValueError("The nextToken is not valid.")
    return offset


def paginate(items: list[Any], max_results: Any, next_token: Any) -> tuple[list[Any], str | None]:
    """An opaque-token page of `items` (maxResults 1..100, default 100), as every EKS list pages."""
    limit = 100 if max_results in (None, "") else int(max_results)
    if not 1 <= limit <= 100:
        raise ValueError("maxResults must be between 1 and 100.")
    start = decode_token(next_token) if next_token else 0
    page = items[start : start + limit]
    return page, encode_token(start + limit) if start + limit < len(items) else None


# ------------------------------------------------------------------------------------------
# install
# ------------------------------------------------------------------------------------------


def install() -> None:
    import moto.eks.models as models

    # Clusters and node groups created without a version: a current Kubernetes, not moto's 1.19.
    models.DEFAULT_KUBERNETES_VERSION = DEFAULT_CLUSTER_VERSION
    _register_routes()
    _patch_clusters_and_updates()
    _patch_nodegroups()
    _add_access_entries()
    _add_addons()
    _add_pod_identity_associations()
    _patch_tagging()


def _register_routes() -> None:
    """moto's server only dispatches the EKS paths its url map lists; add the new operations' paths
    (the operation itself is then found from botocore's model, by method and path)."""
    from moto.eks import urls

    dispatch = urls.response.dispatch
    cluster = "{0}/clusters/(?P<name>[^/]+)"
    for path in (
        cluster + "/access-entries$",
        cluster + "/access-entries/(?P<principalArn>.+)$",
        "{0}/access-policies$",
        cluster + "/addons$",
        cluster + "/addons/(?P<addonName>[^/]+)$",
        cluster + "/addons/(?P<addonName>[^/]+)/update$",
        "{0}/addons/supported-versions$",
        "{0}/addons/configuration-schemas$",
        cluster + "/updates$",
        cluster + "/updates/(?P<updateId>[^/]+)$",
        cluster + "/node-groups/(?P<nodegroupName>[^/]+)/update-version$",
        cluster + "/pod-identity-associations$",
        cluster + "/pod-identity-associations/(?P<associationId>[^/]+)$",
    ):
        urls.url_paths.setdefault(path, dispatch)


# ------------------------------------------------------------------------------------------
# errors and lookups shared by the patches
# ------------------------------------------------------------------------------------------


def _raise(kind: str, message: str, **names: Any) -> NoReturn:
    """An EKS error with moto's EKS JSON body (message plus the resource names that apply)."""
    from moto.eks import exceptions

    cls = getattr(exceptions, kind, None)
    if cls is None:
        cls = type(kind, (exceptions.EKSError,), {"TYPE": kind, "STATUS": 404 if "NotFound" in kind else 400})
    raise cls(**{k: v for k, v in names.items() if v is not None}, message=message)


def _cluster(backend: Any, name: str) -> Any:
    from moto.eks.models import CLUSTER_NOT_FOUND_MSG

    cluster = backend.clusters.get(name)
    if cluster is None:
        _raise("ResourceNotFoundException", CLUSTER_NOT_FOUND_MSG.format(clusterName=name), clusterName=name)
    return cluster


def _nodegroup(backend: Any, cluster_name: str, nodegroup_name: str) -> Any:
    from moto.eks.models import NODEGROUP_NOT_FOUND_MSG

    cluster = _cluster(backend, cluster_name)
    nodegroup = cluster.nodegroups.get(nodegroup_name)
    if nodegroup is None:
        _raise(
            "ResourceNotFoundException",
            NODEGROUP_NOT_FOUND_MSG.format(nodegroupName=nodegroup_name),
            clusterName=cluster_name,
            nodegroupName=nodegroup_name,
        )
    return nodegroup


def _store(owner: Any, attr: str) -> Any:
    """Per-object storage this module keeps on moto's models (gone with the cluster or node group)."""
    if not hasattr(owner, attr):
        setattr(owner, attr, [] if attr == "orch_updates" else {})
    return getattr(owner, attr)


def _page(items: list[Any], max_results: Any, next_token: Any) -> tuple[list[Any], str | None]:
    try:
        return paginate(items, max_results, next_token)
    except ValueError as exc:
        _raise("InvalidParameterException", str(exc))


def _now() -> Any:
    from moto.core.utils import utcnow

    return utcnow()


def _uuid() -> str:
    from moto.moto_api._internal import mock_random

    return str(mock_random.uuid4())


def _record_update(owner: Any, update_type: str, params: list[dict[str, str]]) -> dict[str, Any]:
    """Store an update (Successful at once) and return the InProgress answer AWS gives the call."""
    update = {
        "id": _uuid(),
        "status": "Successful",
        "type": update_type,
        "params": params,
        "createdAt": _now(),
        "errors": [],
    }
    _store(owner, "orch_updates").append(update)
    return {**update, "status": "InProgress"}


def _param(kind: str, value: Any) -> dict[str, str]:
    return {"type": kind, "value": value if isinstance(value, str) else json.dumps(value)}


def _query(response: Any, name: str) -> Any:
    values = response.querystring.get(name)
    return values[0] if values else None


def _caller_principal(response: Any, partition: str) -> tuple[str, str]:
    """The IAM principal that made this request and its access-entry username, as EKS records the
    cluster creator: the role of an assumed-role session, an IAM user, else the emulator's default
    identity (what sts:GetCallerIdentity answers for the test credentials)."""
    from moto.sts.models import sts_backends

    sts = sts_backends[response.current_account][partition]
    access_key = response.get_access_key()
    assumed = sts.get_assumed_role_from_access_key(access_key)
    if assumed is not None:
        return assumed.role_arn, default_username(assumed.role_arn)
    _, arn, account = sts.get_caller_identity(access_key, response.region)
    if ":sts::" in arn and ":user/" in arn:  # moto's default caller, arn:aws:sts::ACCOUNT:user/moto
        arn = f"arn:{partition}:iam::{account}:user/{arn.rsplit('/', 1)[1]}"
    return arn, default_username(arn)


# ------------------------------------------------------------------------------------------
# Clusters: accessConfig, upgradePolicy, bootstrapSelfManagedAddons; updates
# ------------------------------------------------------------------------------------------


def _patch_clusters_and_updates() -> None:
    from moto.core.responses import ActionResult
    from moto.eks.responses import EKSResponse

    original_create = EKSResponse.create_cluster

    def create_cluster(self: EKSResponse) -> ActionResult:
        access = self._get_param("accessConfig") or {}
        mode = access.get("authenticationMode") or "CONFIG_MAP"
        bootstrap_admin = access.get("bootstrapClusterCreatorAdminPermissions")
        bootstrap_admin = True if bootstrap_admin is None else bool(bootstrap_admin)
        if mode not in AUTH_MODES:
            _raise("InvalidParameterException", f"Unsupported authentication mode: {mode}")
        if mode == "CONFIG_MAP" and not bootstrap_admin:
            _raise(
                "InvalidParameterException",
                "bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to "
                "CONFIG_MAP",
            )
        support = (self._get_param("upgradePolicy") or {}).get("supportType") or "EXTENDED"
        if support not in ("STANDARD", "EXTENDED"):
            _raise("InvalidParameterException", f"Unsupported support type: {support}")
        result = original_create(self)
        backend = self.eks_backend
        cluster: Any = backend.clusters[self._get_param("name")]  # gets attributes moto's Cluster lacks
        cluster.access_config = {"authenticationMode": mode}
        cluster.orch_bootstrap_admin = bootstrap_admin
        cluster.upgrade_policy = {"supportType": support}
        self_managed = self._get_param("bootstrapSelfManagedAddons")
        cluster.orch_bootstrap_self_managed_addons = True if self_managed is None else bool(self_managed)
        if self._get_param("zonalShiftConfig"):
            cluster.zonal_shift_config = self._get_param("zonalShiftConfig")
        if bootstrap_admin:
            # The creator's entry exists from the start; in CONFIG_MAP mode it shows once the API is on.
            principal, username = _caller_principal(self, backend.partition)
            entry = _new_access_entry(backend, cluster, principal, "STANDARD", [], username, {})
            entry["policies"][access_policy_arn(CLUSTER_ADMIN_POLICY, backend.partition)] = _new_association(
                access_policy_arn(CLUSTER_ADMIN_POLICY, backend.partition), {"type": "cluster", "namespaces": []}
            )
        return result

    def update_cluster_config(self: EKSResponse) -> ActionResult:
        name = self._get_param("name")
        cluster = _cluster(self.eks_backend, name)
        requested = {
            key: self._get_param(key)
            for key in (
                "resourcesVpcConfig",
                "logging",
                "accessConfig",
                "upgradePolicy",
                "zonalShiftConfig",
                "computeConfig",
                "kubernetesNetworkConfig",
                "storageConfig",
                "remoteNetworkConfig",
                "deletionProtection",
                "controlPlaneScalingConfig",
            )
            if self._get_param(key) is not None
        }
        kinds = set()
        for key in requested:
            if key == "resourcesVpcConfig":
                vpc = requested[key]
                if {"subnetIds", "securityGroupIds"} & set(vpc):
                    kinds.add("VpcConfigUpdate")
                if {"endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs"} & set(vpc):
                    kinds.add("EndpointAccessUpdate")
            elif key in ("computeConfig", "kubernetesNetworkConfig", "storageConfig"):
                kinds.add("AutoModeUpdate")
            else:
                kinds.add(key)
        if len(kinds) != 1:
            _raise("InvalidParameterException", "Only one type of update can be allowed.", clusterName=name)

        params: list[dict[str, str]] = []
        update_type = ""
        if "accessConfig" in requested:
            update_type = "AccessConfigUpdate"
            new = requested["accessConfig"].get("authenticationMode")
            current = (getattr(cluster, "access_config", None) or {}).get("authenticationMode", "CONFIG_MAP")
            if (current, new) not in AUTH_MODE_TRANSITIONS:
                _raise(
                    "InvalidParameterException",
                    f"Unsupported authentication mode update from {current} to {new}",
                    clusterName=name,
                )
            cluster.access_config = {"authenticationMode": new}
            params = [_param("AuthenticationMode", new)]
        elif "upgradePolicy" in requested:
            update_type = "UpgradePolicyUpdate"
            support = requested["upgradePolicy"].get("supportType")
            if support not in ("STANDARD", "EXTENDED"):
                _raise("InvalidParameterException", f"Unsupported support type: {support}", clusterName=name)
            cluster.upgrade_policy = {"supportType": support}
            params = [_param("UpgradePolicy", support)]
        elif "logging" in requested:
            update_type = "LoggingUpdate"
            cluster.logging = requested["logging"]
            params = [_param("ClusterLogging", requested["logging"])]
        elif "resourcesVpcConfig" in requested:
            vpc = requested["resourcesVpcConfig"]
            cluster.resources_vpc_config = {**(cluster.resources_vpc_config or {}), **vpc}
            if "EndpointAccessUpdate" in kinds:
                update_type = "EndpointAccessUpdate"
                for key, kind in (
                    ("endpointPublicAccess", "EndpointPublicAccess"),
                    ("endpointPrivateAccess", "EndpointPrivateAccess"),
                    ("publicAccessCidrs", "PublicAccessCidrs"),
                ):
                    if key in vpc:
                        params.append(_param(kind, vpc[key]))
            else:
                update_type = "VpcConfigUpdate"
                for key, kind in (("subnetIds", "Subnets"), ("securityGroupIds", "SecurityGroups")):
                    if key in vpc:
                        params.append(_param(kind, vpc[key]))
        elif "AutoModeUpdate" in kinds:
            update_type = "AutoModeUpdate"
            for key, kind in (
                ("computeConfig", "ComputeConfig"),
                ("kubernetesNetworkConfig", "KubernetesNetworkConfig"),
                ("storageConfig", "StorageConfig"),
            ):
                if key in requested:
                    setattr(cluster, _snake(key), requested[key])
                    params.append(_param(kind, requested[key]))
        else:
            key = next(iter(requested))
            update_type, kind = {
                "zonalShiftConfig": ("ZonalShiftConfigUpdate", "ZonalShiftConfig"),
                "remoteNetworkConfig": ("RemoteNetworkConfigUpdate", "RemoteNetworkConfig"),
                "deletionProtection": ("DeletionProtectionUpdate", "DeletionProtection"),
                "controlPlaneScalingConfig": ("ControlPlaneScalingConfigUpdate", "UpdatedTier"),
            }[key]
            setattr(cluster, _snake(key), requested[key])
            params = [_param(kind, requested[key])]
        return ActionResult({"update": _record_update(cluster, update_type, params)})

    def update_cluster_version(self: EKSResponse) -> ActionResult:
        name = self._get_param("name")
        cluster = _cluster(self.eks_backend, name)
        version = str(self._get_param("version") or "")
        try:
            current, wanted = _minor_key(cluster.version), _minor_key(version)
        except ValueError:
            _raise("InvalidParameterException", f"Unsupported Kubernetes version: {version}", clusterName=name)
        if wanted == current:
            _raise(
                "InvalidParameterException",
                f"The cluster is already at the desired configuration with version: {cluster.version}",
                clusterName=name,
            )
        if wanted != (current[0], current[1] + 1) or kubernetes_minor(version) not in KUBERNETES_MINORS:
            _raise(
                "InvalidParameterException",
                f"Unsupported Kubernetes minor version update from {cluster.version} to {version}",
                clusterName=name,
            )
        # AWS: every managed node group must be at the cluster's version before the next minor
        # (docs/runbooks/eks-upgrade.md's order: 40-nodegroups follow before the next 30 upgrade).
        behind = sorted(n for n, g in cluster.nodegroups.items() if _minor_key(g.version) != current)
        if behind:
            _raise(
                "InvalidParameterException",
                f"Nodegroups {', '.join(behind)} must be updated to match cluster version {cluster.version} "
                "before updating cluster version",
                clusterName=name,
            )
        cluster.version = kubernetes_minor(version)
        params = [_param("Version", cluster.version), _param("PlatformVersion", cluster.platformVersion)]
        return ActionResult({"update": _record_update(cluster, "VersionUpdate", params)})

    def _updates_owner(self: EKSResponse) -> Any:
        name = self._get_param("name")
        nodegroup_name = _query(self, "nodegroupName")
        addon_name = _query(self, "addonName")
        if nodegroup_name:
            return _nodegroup(self.eks_backend, name, nodegroup_name)
        if addon_name:
            return _addon(self.eks_backend, name, addon_name)
        return _cluster(self.eks_backend, name)

    def describe_update(self: EKSResponse) -> ActionResult:
        update_id = self._get_param("updateId")
        for update in _store(_updates_owner(self), "orch_updates"):
            if update["id"] == update_id:
                return ActionResult({"update": update})
        _raise("ResourceNotFoundException", f"No update found for ID: {update_id}", clusterName=self._get_param("name"))

    def list_updates(self: EKSResponse) -> ActionResult:
        ids = [u["id"] for u in _store(_updates_owner(self), "orch_updates")]
        page, token = _page(ids, _query(self, "maxResults"), _query(self, "nextToken"))
        return ActionResult({"updateIds": page, "nextToken": token})

    EKSResponse.create_cluster = create_cluster  # type: ignore[method-assign]  # replaces moto's method
    EKSResponse.update_cluster_config = update_cluster_config  # type: ignore[method-assign]  # replaces moto's method
    EKSResponse.update_cluster_version = update_cluster_version  # type: ignore[attr-defined]  # new method: moto has none
    EKSResponse.describe_update = describe_update  # type: ignore[attr-defined]  # new method: moto has none
    EKSResponse.list_updates = list_updates  # type: ignore[attr-defined]  # new method: moto has none


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# ------------------------------------------------------------------------------------------
# Node groups: updateConfig, UpdateNodegroupConfig/UpdateNodegroupVersion as updates
# ------------------------------------------------------------------------------------------


def _check_update_config(update_config: dict[str, Any] | None, cluster_name: str, nodegroup_name: str) -> None:
    if not update_config:
        return
    count, percent = update_config.get("maxUnavailable"), update_config.get("maxUnavailablePercentage")
    if count is not None and percent is not None:
        _raise(
            "InvalidParameterException",
            "Only one of maxUnavailable or maxUnavailablePercentage can be specified in updateConfig",
            clusterName=cluster_name,
            nodegroupName=nodegroup_name,
        )
    if count is not None and not 1 <= int(count) <= 100:
        _raise(
            "InvalidParameterException",
            "maxUnavailable must be between 1 and 100",
            clusterName=cluster_name,
            nodegroupName=nodegroup_name,
        )
    if percent is not None and not 1 <= int(percent) <= 100:
        _raise(
            "InvalidParameterException",
            "maxUnavailablePercentage must be between 1 and 100",
            clusterName=cluster_name,
            nodegroupName=nodegroup_name,
        )
    strategy = update_config.get("updateStrategy")
    if strategy is not None and strategy not in ("DEFAULT", "MINIMAL"):
        _raise("InvalidParameterException", f"Unsupported update strategy: {strategy}", clusterName=cluster_name)


def release_version(kubernetes_version: str) -> str:
    """An EKS AMI release version for a minor (its kube-proxy patch level and a release date)."""
    minor = kubernetes_minor(kubernetes_version)
    builds = [v for v, minors in ADDONS["kube-proxy"]["versions"] if minors == (minor,)]
    patch = _VERSION_RE.match(builds[0]).group(3) if builds else "0"  # type: ignore[union-attr]  # every version in the table matches _VERSION_RE
    return f"{minor}.{patch}-20260115"


def _patch_nodegroups() -> None:
    from moto.core.responses import ActionResult
    from moto.eks.responses import EKSResponse

    original_create = EKSResponse.create_nodegroup
    original_update_config = EKSResponse.update_nodegroup_config

    def create_nodegroup(self: EKSResponse) -> ActionResult:
        cluster_name, nodegroup_name = self._get_param("name"), self._get_param("nodegroupName")
        update_config = self._get_param("updateConfig")
        _check_update_config(update_config, cluster_name, nodegroup_name)
        result = original_create(self)
        cluster = self.eks_backend.clusters[cluster_name]
        nodegroup = cluster.nodegroups[nodegroup_name]
        nodegroup.update_config = update_config or {"maxUnavailable": 1}
        nodegroup.scaling_config = dict(nodegroup.scaling_config)  # moto shares its default dict
        if not self._get_param("remoteAccess"):
            # moto invents an SSH key (eksKeypair) where AWS has no remote access; the provider
            # would plan to replace the node group to remove it.
            nodegroup.remote_access = None  # type: ignore[assignment]  # moto types it as a dict; None is AWS's answer
            nodegroup.resources.pop("remoteAccessSecurityGroup", None)
        if not self._get_param("version"):
            nodegroup.version = cluster.version
        if not self._get_param("releaseVersion"):
            nodegroup.release_version = release_version(nodegroup.version)
        if self._get_param("nodeRepairConfig"):
            nodegroup.node_repair_config = self._get_param("nodeRepairConfig")
        return result

    def update_nodegroup_config(self: EKSResponse) -> ActionResult:
        cluster_name, nodegroup_name = self._get_param("name"), self._get_param("nodegroupName")
        nodegroup = _nodegroup(self.eks_backend, cluster_name, nodegroup_name)
        update_config = self._get_param("updateConfig")
        _check_update_config(update_config, cluster_name, nodegroup_name)
        original_update_config(self)  # moto applies labels, taints, scaling, updateConfig, nodeRepairConfig
        params: list[dict[str, str]] = []
        labels = self._get_param("labels") or {}
        if labels.get("addOrUpdateLabels"):
            params.append(_param("LabelsToAdd", labels["addOrUpdateLabels"]))
        if labels.get("removeLabels"):
            params.append(_param("LabelsToRemove", labels["removeLabels"]))
        taints = self._get_param("taints") or {}
        if taints.get("addOrUpdateTaints"):
            params.append(_param("TaintsToAdd", taints["addOrUpdateTaints"]))
        if taints.get("removeTaints"):
            params.append(_param("TaintsToRemove", taints["removeTaints"]))
        scaling = self._get_param("scalingConfig") or {}
        for key, kind in (("minSize", "MinSize"), ("maxSize", "MaxSize"), ("desiredSize", "DesiredSize")):
            if key in scaling:
                params.append(_param(kind, str(scaling[key])))
        for key, kind in (
            ("maxUnavailable", "MaxUnavailable"),
            ("maxUnavailablePercentage", "MaxUnavailablePercentage"),
            ("updateStrategy", "UpdateStrategy"),
        ):
            if key in (update_config or {}):
                params.append(_param(kind, str(update_config[key])))
        if self._get_param("nodeRepairConfig"):
            params.append(_param("NodeRepairConfig", self._get_param("nodeRepairConfig")))
        return ActionResult({"update": _record_update(nodegroup, "ConfigUpdate", params)})

    def update_nodegroup_version(self: EKSResponse) -> ActionResult:
        cluster_name, nodegroup_name = self._get_param("name"), self._get_param("nodegroupName")
        cluster = _cluster(self.eks_backend, cluster_name)
        nodegroup = _nodegroup(self.eks_backend, cluster_name, nodegroup_name)
        version = self._get_param("version")
        if version:
            if _minor_key(version) > _minor_key(cluster.version):
                _raise(
                    "InvalidParameterException",
                    f"Requested Nodegroup Kubernetes version {version} is greater than the cluster version "
                    f"{cluster.version}",
                    clusterName=cluster_name,
                    nodegroupName=nodegroup_name,
                )
            if _minor_key(version) < _minor_key(nodegroup.version):
                _raise(
                    "InvalidParameterException",
                    f"Requested Nodegroup Kubernetes version {version} is lower than the current version "
                    f"{nodegroup.version}",
                    clusterName=cluster_name,
                    nodegroupName=nodegroup_name,
                )
            nodegroup.version = kubernetes_minor(version)
        launch_template = self._get_param("launchTemplate")
        if launch_template and nodegroup.launch_template:
            nodegroup.launch_template = {**nodegroup.launch_template, **launch_template}
        elif launch_template:
            _raise(
                "InvalidParameterException",
                "A launch template can only be updated on a node group that was created with one.",
                clusterName=cluster_name,
                nodegroupName=nodegroup_name,
            )
        nodegroup.release_version = self._get_param("releaseVersion") or release_version(nodegroup.version)
        nodegroup.modified_at = _now()
        params = [_param("Version", nodegroup.version), _param("ReleaseVersion", nodegroup.release_version)]
        if launch_template:
            params.append(_param("LaunchTemplateName", str(nodegroup.launch_template.get("name", ""))))
            params.append(_param("LaunchTemplateVersion", str(nodegroup.launch_template.get("version", ""))))
        return ActionResult({"update": _record_update(nodegroup, "VersionUpdate", params)})

    EKSResponse.create_nodegroup = create_nodegroup  # type: ignore[method-assign]  # replaces moto's method
    EKSResponse.update_nodegroup_config = update_nodegroup_config  # type: ignore[method-assign]  # replaces moto's method
    EKSResponse.update_nodegroup_version = update_nodegroup_version  # type: ignore[attr-defined]  # new method: moto has none


# ------------------------------------------------------------------------------------------
# Access entries and access policies
# ------------------------------------------------------------------------------------------

ENTRY_NOT_FOUND = (
    "The specified principalArn could not be found. You can view your available access entries with "
    "'list-access-entries'."
)


def _new_association(policy_arn: str, scope: dict[str, Any]) -> dict[str, Any]:
    now = _now()
    return {"policyArn": policy_arn, "accessScope": scope, "associatedAt": now, "modifiedAt": now}


def _new_access_entry(
    backend: Any,
    cluster: Any,
    principal_arn: str,
    entry_type: str,
    groups: list[str],
    username: str,
    tags: dict[str, str],
) -> dict[str, Any]:
    match = PRINCIPAL_RE.match(principal_arn)
    kind, account, name = (match["kind"], match["account"], match["name"]) if match else ("role", "", "")
    now = _now()
    entry = {
        "clusterName": cluster.name,
        "principalArn": principal_arn,
        "kubernetesGroups": groups,
        "accessEntryArn": (
            f"arn:{backend.partition}:eks:{backend.region_name}:{backend.account_id}:access-entry/"
            f"{cluster.name}/{kind}/{account}/{name}/{_uuid()}"
        ),
        "createdAt": now,
        "modifiedAt": now,
        "tags": dict(tags),
        "username": username,
        "type": entry_type,
        "policies": {},
    }
    _store(cluster, "orch_access_entries")[principal_arn] = entry
    return entry


def _access_cluster(backend: Any, name: str) -> Any:
    """The cluster, if its authentication mode serves the access-entry API."""
    cluster = _cluster(backend, name)
    mode = (getattr(cluster, "access_config", None) or {}).get("authenticationMode", "CONFIG_MAP")
    if mode == "CONFIG_MAP":
        _raise(
            "InvalidRequestException",
            "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this "
            "operation.",
            clusterName=name,
        )
    return cluster


def _access_entry(backend: Any, cluster_name: str, principal_arn: str) -> tuple[Any, dict[str, Any]]:
    cluster = _access_cluster(backend, cluster_name)
    entry = _store(cluster, "orch_access_entries").get(principal_arn)
    if entry is None:
        _raise("ResourceNotFoundException", ENTRY_NOT_FOUND, clusterName=cluster_name)
    return cluster, entry


def _check_principal(backend: Any, principal_arn: str, entry_type: str) -> None:
    """An existing IAM role or user of this account; what else AWS refuses, it refuses here."""
    from moto.iam.models import iam_backends

    if principal_arn.startswith("arn:") and ":sts::" in principal_arn:
        _raise("InvalidParameterException", "The principalArn parameter format is not valid")
    match = PRINCIPAL_RE.match(principal_arn)
    if match is None:
        _raise("InvalidParameterException", "The principalArn parameter format is not valid")
    if match["path"].startswith("aws-service-role/"):
        _raise(
            "InvalidParameterException",
            "The caller is not allowed to modify access entries with a principalArn value of a Service Linked Role",
        )
    if entry_type != "STANDARD" and match["kind"] != "role":
        _raise("InvalidParameterException", f"An access entry of type {entry_type} must use an IAM role principal.")
    iam = iam_backends[backend.account_id][backend.partition]
    known = iam.roles.values() if match["kind"] == "role" else iam.users.values()
    if match["account"] != backend.account_id or not any(p.arn == principal_arn for p in known):
        _raise("InvalidParameterException", "The specified principalArn is invalid: invalid principal.")


def _check_identity(groups: list[str], username: str | None) -> None:
    for group in groups:
        if group.startswith(RESERVED_PREFIXES):
            _raise(
                "InvalidParameterException",
                f"The kubernetes group name {group} is invalid, it cannot start with "
                f"{next(p for p in RESERVED_PREFIXES if group.startswith(p))}",
            )
    if username and username.startswith(RESERVED_PREFIXES):
        _raise(
            "InvalidParameterException", f"The username {username} is invalid, it cannot start with a reserved prefix"
        )


def _add_access_entries() -> None:
    from moto.core.responses import ActionResult
    from moto.eks.responses import EKSResponse

    def create_access_entry(self: EKSResponse) -> ActionResult:
        backend = self.eks_backend
        cluster_name = self._get_param("name")
        cluster = _access_cluster(backend, cluster_name)
        principal_arn = self._get_param("principalArn") or ""
        entry_type = self._get_param("type") or "STANDARD"
        if entry_type not in ACCESS_ENTRY_TYPES:
            _raise("InvalidParameterException", f"The specified access entry type {entry_type} is not valid.")
        if principal_arn in _store(cluster, "orch_access_entries"):
            _raise(
                "ResourceInUseException",
                "The specified access entry resource is already in use on this cluster.",
                clusterName=cluster_name,
            )
        _check_principal(backend, principal_arn, entry_type)
        groups = list(self._get_param("kubernetesGroups") or [])
        username = self._get_param("username")
        if entry_type == "STANDARD":
            _check_identity(groups, username)
            username = username or default_username(principal_arn)
        else:
            if groups or username:
                _raise(
                    "InvalidParameterException",
                    f"kubernetesGroups and username cannot be specified for an access entry of type {entry_type}.",
                )
            username, groups = NODE_ENTRY_IDENTITY[entry_type][0], list(NODE_ENTRY_IDENTITY[entry_type][1])
        entry = _new_access_entry(
            backend, cluster, principal_arn, entry_type, groups, username, self._get_param("tags") or {}
        )
        return ActionResult({"accessEntry": entry})

    def describe_access_entry(self: EKSResponse) -> ActionResult:
        _, entry = _access_entry(self.eks_backend, self._get_param("name"), self._get_param("principalArn"))
        return ActionResult({"accessEntry": entry})

    def list_access_entries(self: EKSResponse) -> ActionResult:
        cluster = _access_cluster(self.eks_backend, self._get_param("name"))
        policy = _query(self, "associatedPolicyArn")
        entries = _store(cluster, "orch_access_entries")
        arns = sorted(a for a, e in entries.items() if policy is None or policy in e["policies"])
        page, token = _page(arns, _query(self, "maxResults"), _query(self, "nextToken"))
        return ActionResult({"accessEntries": page, "nextToken": token})

    def update_access_entry(self: EKSResponse) -> ActionResult:
        _, entry = _access_entry(self.eks_backend, self._get_param("name"), self._get_param("principalArn"))
        groups, username = self._get_param("kubernetesGroups"), self._get_param("username")
        if entry["type"] != "STANDARD" and (groups or username):
            _raise(
                "InvalidParameterException",
                f"kubernetesGroups and username cannot be specified for an access entry of type {entry['type']}.",
            )
        _check_identity(list(groups or []), username)
        if groups is not None:
            entry["kubernetesGroups"] = list(groups)
        if username is not None:
            entry["username"] = username or default_username(entry["principalArn"])
        entry["modifiedAt"] = _now()
        return ActionResult({"accessEntry": entry})

    def delete_access_entry(self: EKSResponse) -> ActionResult:
        cluster, entry = _access_entry(self.eks_backend, self._get_param("name"), self._get_param("principalArn"))
        del _store(cluster, "orch_access_entries")[entry["principalArn"]]
        return ActionResult({})

    def associate_access_policy(self: EKSResponse) -> ActionResult:
        backend = self.eks_backend
        cluster_name = self._get_param("name")
        _, entry = _access_entry(backend, cluster_name, self._get_param("principalArn"))
        policy_arn = self._get_param("policyArn") or ""
        if policy_arn not in {access_policy_arn(n, backend.partition) for n in ACCESS_POLICY_NAMES}:
            _raise("InvalidParameterException", f"The specified policyArn {policy_arn} is not valid.")
        if entry["type"] != "STANDARD":
            _raise(
                "InvalidRequestException",
                f"Access policies can only be associated with access entries of type STANDARD, not {entry['type']}.",
                clusterName=cluster_name,
            )
        scope = self._get_param("accessScope") or {}
        scope_type, namespaces = scope.get("type"), list(scope.get("namespaces") or [])
        if scope_type not in ("cluster", "namespace"):
            _raise("InvalidParameterException", "accessScope type must be one of [cluster, namespace].")
        if scope_type == "namespace" and not namespaces:
            _raise(
                "InvalidParameterException", "At least one namespace must be specified for a namespace access scope."
            )
        if scope_type == "cluster" and namespaces:
            _raise("InvalidParameterException", "Namespaces cannot be specified for a cluster access scope.")
        association = entry["policies"].get(policy_arn)
        if association is None:
            association = entry["policies"][policy_arn] = _new_association(policy_arn, {})
        else:
            association["modifiedAt"] = _now()
        association["accessScope"] = {"type": scope_type, "namespaces": namespaces}
        return ActionResult(
            {
                "clusterName": cluster_name,
                "principalArn": entry["principalArn"],
                "associatedAccessPolicy": association,
            }
        )

    def disassociate_access_policy(self: EKSResponse) -> ActionResult:
        cluster_name = self._get_param("name")
        _, entry = _access_entry(self.eks_backend, cluster_name, self._get_param("principalArn"))
        policy_arn = self._get_param("policyArn")
        if policy_arn not in entry["policies"]:
            _raise(
                "ResourceNotFoundException",
                f"The specified policyArn {policy_arn} is not associated with the principalArn.",
                clusterName=cluster_name,
            )
        del entry["policies"][policy_arn]
        return ActionResult({})

    def list_associated_access_policies(self: EKSResponse) -> ActionResult:
        cluster_name = self._get_param("name")
        _, entry = _access_entry(self.eks_backend, cluster_name, self._get_param("principalArn"))
        policies = [entry["policies"][arn] for arn in sorted(entry["policies"])]
        page, token = _page(policies, _query(self, "maxResults"), _query(self, "nextToken"))
        return ActionResult(
            {
                "clusterName": cluster_name,
                "principalArn": entry["principalArn"],
                "nextToken": token,
                "associatedAccessPolicies": page,
            }
        )

    def list_access_policies(self: EKSResponse) -> ActionResult:
        partition = self.eks_backend.partition
        policies = [{"name": n, "arn": access_policy_arn(n, partition)} for n in ACCESS_POLICY_NAMES]
        page, token = _page(policies, _query(self, "maxResults"), _query(self, "nextToken"))
        return ActionResult({"accessPolicies": page, "nextToken": token})

    for function in (
        create_access_entry,
        describe_access_entry,
        list_access_entries,
        update_access_entry,
        delete_access_entry,
        associate_access_policy,
        disassociate_access_policy,
        list_associated_access_policies,
        list_access_policies,
    ):
        setattr(EKSResponse, function.__name__, function)


# ------------------------------------------------------------------------------------------
# Managed add-ons
# ------------------------------------------------------------------------------------------


def _addon(backend: Any, cluster_name: str, addon_name: str) -> dict[str, Any]:
    cluster = _cluster(backend, cluster_name)
    addon: dict[str, Any] | None = _store(cluster, "orch_addons").get(addon_name)
    if addon is None:
        _raise(
            "ResourceNotFoundException",
            f"No addon: {addon_name} found in cluster: {cluster_name}",
            clusterName=cluster_name,
            addonName=addon_name,
        )
    return addon


class _AddonRecord(dict[str, Any]):
    """An add-on's fields, plus its updates (DescribeUpdate/ListUpdates with addonName)."""


def _check_configuration(text: str | None, cluster_name: str, addon_name: str) -> None:
    if text is None:
        return
    try:
        parse_configuration_values(text)
    except ValueError as exc:
        _raise(
            "InvalidParameterException",
            f"ConfigurationValue provided in request is not supported: {exc}",
            clusterName=cluster_name,
            addonName=addon_name,
        )


def _check_role_arn(arn: str | None, cluster_name: str, addon_name: str) -> None:
    if arn and not ROLE_ARN_RE.match(arn):
        _raise(
            "InvalidParameterException",
            f"Invalid Role Arn: '{arn}'",
            clusterName=cluster_name,
            addonName=addon_name,
        )


def _add_addons() -> None:
    from moto.core.responses import ActionResult
    from moto.eks.responses import EKSResponse

    def create_addon(self: EKSResponse) -> ActionResult:
        backend = self.eks_backend
        cluster_name, addon_name = self._get_param("name"), self._get_param("addonName")
        cluster = _cluster(backend, cluster_name)
        addons = _store(cluster, "orch_addons")
        if addon_name in addons:
            _raise("ResourceInUseException", "Addon already exists.", clusterName=cluster_name, addonName=addon_name)
        if addon_name not in ADDONS:
            _raise(
                "InvalidParameterException",
                "Addon specified is not supported",
                clusterName=cluster_name,
                addonName=addon_name,
            )
        version = self._get_param("addonVersion") or default_addon_version(addon_name, cluster.version)
        if not version or not addon_version_supported(addon_name, version, cluster.version):
            _raise(
                "InvalidParameterException",
                "Addon version specified is not supported",
                clusterName=cluster_name,
                addonName=addon_name,
            )
        resolve = self._get_param("resolveConflicts")
        if resolve not in (None, "OVERWRITE", "NONE"):
            _raise(
                "InvalidParameterException",
                f"ResolveConflicts {resolve} is not supported when creating an addon",
                clusterName=cluster_name,
                addonName=addon_name,
            )
        configuration = self._get_param("configurationValues")
        _check_configuration(configuration, cluster_name, addon_name)
        role_arn = self._get_param("serviceAccountRoleArn")
        _check_role_arn(role_arn, cluster_name, addon_name)
        namespace = (self._get_param("namespaceConfig") or {}).get("namespace")
        now = _now()
        addon = _AddonRecord(
            addonName=addon_name,
            clusterName=cluster_name,
            status="ACTIVE",
            addonVersion=version,
            health={"issues": []},
            addonArn=(
                f"arn:{backend.partition}:eks:{backend.region_name}:{backend.account_id}:addon/"
                f"{cluster_name}/{addon_name}/{_uuid()}"
            ),
            createdAt=now,
            modifiedAt=now,
            tags=dict(self._get_param("tags") or {}),
            publisher="eks",
            owner="aws",
            podIdentityAssociations=[],
        )
        if role_arn:
            addon["serviceAccountRoleArn"] = role_arn
        if configuration:
            addon["configurationValues"] = configuration
        if namespace:
            addon["namespaceConfig"] = {"namespace": namespace}
        associations = self._get_param("podIdentityAssociations")
        if associations:
            addon["podIdentityAssociations"] = _sync_addon_associations(backend, cluster, addon, associations)
        addons[addon_name] = addon
        return ActionResult({"addon": {**addon, "status": "CREATING"}})

    def describe_addon(self: EKSResponse) -> ActionResult:
        return ActionResult({"addon": _addon(self.eks_backend, self._get_param("name"), self._get_param("addonName"))})

    def list_addons(self: EKSResponse) -> ActionResult:
        cluster = _cluster(self.eks_backend, self._get_param("name"))
        names = sorted(_store(cluster, "orch_addons"))
        page, token = _page(names, _query(self, "maxResults"), _query(self, "nextToken"))
        return ActionResult({"addons": page, "nextToken": token})

    def update_addon(self: EKSResponse) -> ActionResult:
        backend = self.eks_backend
        cluster_name, addon_name = self._get_param("name"), self._get_param("addonName")
        cluster = _cluster(backend, cluster_name)
        addon = _addon(backend, cluster_name, addon_name)
        version = self._get_param("addonVersion")
        if version and not addon_version_supported(addon_name, version, cluster.version):
            _raise(
                "InvalidParameterException",
                "Addon version specified is not supported",
                clusterName=cluster_name,
                addonName=addon_name,
            )
        configuration = self._get_param("configurationValues")
        _check_configuration(configuration, cluster_name, addon_name)
        role_arn = self._get_param("serviceAccountRoleArn")
        _check_role_arn(role_arn, cluster_name, addon_name)
        resolve = self._get_param("resolveConflicts")
        associations = self._get_param("podIdentityAssociations")
        params: list[dict[str, str]] = []
        if version:
            addon["addonVersion"] = version
            params.append(_param("AddonVersion", version))
        if role_arn is not None:
            if role_arn:
                addon["serviceAccountRoleArn"] = role_arn
            else:
                addon.pop("serviceAccountRoleArn", None)
            params.append(_param("ServiceAccountRoleArn", role_arn))
        if resolve:
            params.append(_param("ResolveConflicts", resolve))
        if configuration is not None:
            if configuration:
                addon["configurationValues"] = configuration
            else:
                addon.pop("configurationValues", None)
            params.append(_param("ConfigurationValues", configuration))
        if associations is not None:
            addon["podIdentityAssociations"] = _sync_addon_associations(backend, cluster, addon, associations)
            params.append(_param("PodIdentityAssociations", addon["podIdentityAssociations"]))
        addon["modifiedAt"] = _now()
        return ActionResult({"update": _record_update(addon, "AddonUpdate", params)})

    def delete_addon(self: EKSResponse) -> ActionResult:
        backend = self.eks_backend
        cluster_name, addon_name = self._get_param("name"), self._get_param("addonName")
        cluster = _cluster(backend, cluster_name)
        addon = _addon(backend, cluster_name, addon_name)
        _sync_addon_associations(backend, cluster, addon, [])
        del _store(cluster, "orch_addons")[addon_name]
        return ActionResult({"addon": {**addon, "status": "DELETING"}})

    def describe_addon_versions(self: EKSResponse) -> ActionResult:
        name = _query(self, "addonName")
        kubernetes_version = _query(self, "kubernetesVersion")
        types = self.querystring.get("types") or []
        publishers = self.querystring.get("publishers") or []
        owners = self.querystring.get("owners") or []
        infos = []
        for addon_name in sorted(ADDONS):
            if name and addon_name != name:
                continue
            info = addon_info(addon_name, kubernetes_version)
            if not info or not info["addonVersions"]:
                continue
            if (types and info["type"] not in types) or (publishers and "eks" not in publishers):
                continue
            if owners and "aws" not in owners:
                continue
            infos.append(info)
        page, token = _page(infos, _query(self, "maxResults"), _query(self, "nextToken"))
        return ActionResult({"addons": page, "nextToken": token})

    def describe_addon_configuration(self: EKSResponse) -> ActionResult:
        name, version = _query(self, "addonName"), _query(self, "addonVersion")
        if not name or not version or not addon_version_supported(name, version):
            _raise("InvalidParameterException", "Addon version specified is not supported", addonName=name)
        pod_identity = ADDONS[name].get("podIdentity")
        return ActionResult(
            {
                "addonName": name,
                "addonVersion": version,
                "configurationSchema": json.dumps(ADDON_SCHEMAS[name]),
                "podIdentityConfiguration": (
                    [{"serviceAccount": pod_identity[0], "recommendedManagedPolicies": list(pod_identity[1])}]
                    if pod_identity
                    else []
                ),
            }
        )

    for function in (
        create_addon,
        describe_addon,
        list_addons,
        update_addon,
        delete_addon,
        describe_addon_versions,
        describe_addon_configuration,
    ):
        setattr(EKSResponse, function.__name__, function)


# ------------------------------------------------------------------------------------------
# Pod identity associations (add-ons create theirs; the provider reads them back)
# ------------------------------------------------------------------------------------------


def _new_association_id() -> str:
    from moto.moto_api._internal import mock_random

    return "a-" + mock_random.get_random_string(length=17, lower_case=True)


def _create_pia(
    backend: Any,
    cluster: Any,
    namespace: str,
    service_account: str,
    role_arn: str,
    tags: dict[str, str],
    owner_arn: str | None = None,
) -> dict[str, Any]:
    associations = _store(cluster, "orch_pod_identity_associations")
    for existing in associations.values():
        if existing["namespace"] == namespace and existing["serviceAccount"] == service_account:
            _raise(
                "ResourceInUseException",
                f"Association already exists: {existing['associationId']}",
                clusterName=cluster.name,
            )
    if not ROLE_ARN_RE.match(role_arn or ""):
        _raise("InvalidParameterException", f"Invalid Role Arn: '{role_arn}'", clusterName=cluster.name)
    association_id = _new_association_id()
    now = _now()
    association = {
        "clusterName": cluster.name,
        "namespace": namespace,
        "serviceAccount": service_account,
        "roleArn": role_arn,
        "associationArn": (
            f"arn:{backend.partition}:eks:{backend.region_name}:{backend.account_id}:podidentityassociation/"
            f"{cluster.name}/{association_id}"
        ),
        "associationId": association_id,
        "tags": dict(tags),
        "createdAt": now,
        "modifiedAt": now,
        "disableSessionTags": False,
    }
    if owner_arn:
        association["ownerArn"] = owner_arn
    associations[association_id] = association
    return association


def _sync_addon_associations(
    backend: Any, cluster: Any, addon: dict[str, Any], wanted: list[dict[str, str]]
) -> list[str]:
    """The add-on's associations become `wanted` (serviceAccount -> roleArn); their ARNs."""
    associations = _store(cluster, "orch_pod_identity_associations")
    namespace = (addon.get("namespaceConfig") or {}).get("namespace", "kube-system")
    owned = {a["serviceAccount"]: a for a in associations.values() if a.get("ownerArn") == addon["addonArn"]}
    wanted_roles = {w["serviceAccount"]: w["roleArn"] for w in wanted}
    for account, association in owned.items():
        if account not in wanted_roles:
            del associations[association["associationId"]]
    arns = []
    for account, role_arn in wanted_roles.items():
        if account in owned:
            owned[account]["roleArn"] = role_arn
            owned[account]["modifiedAt"] = _now()
            arns.append(owned[account]["associationArn"])
        else:
            arns.append(
                _create_pia(backend, cluster, namespace, account, role_arn, {}, addon["addonArn"])["associationArn"]
            )
    return arns


def _add_pod_identity_associations() -> None:
    from moto.core.responses import ActionResult
    from moto.eks.responses import EKSResponse

    def _association(self: EKSResponse) -> tuple[Any, dict[str, Any]]:
        cluster_name, association_id = self._get_param("name"), self._get_param("associationId")
        cluster = _cluster(self.eks_backend, cluster_name)
        association = _store(cluster, "orch_pod_identity_associations").get(association_id)
        if association is None:
            _raise(
                "ResourceNotFoundException",
                f"No Pod Identity Association found with id {association_id}",
                clusterName=cluster_name,
            )
        return cluster, association

    def create_pod_identity_association(self: EKSResponse) -> ActionResult:
        cluster = _cluster(self.eks_backend, self._get_param("name"))
        association = _create_pia(
            self.eks_backend,
            cluster,
            self._get_param("namespace"),
            self._get_param("serviceAccount"),
            self._get_param("roleArn"),
            self._get_param("tags") or {},
        )
        for key in ("disableSessionTags", "targetRoleArn", "policy"):
            if self._get_param(key) is not None:
                association[key] = self._get_param(key)
        return ActionResult({"association": association})

    def describe_pod_identity_association(self: EKSResponse) -> ActionResult:
        return ActionResult({"association": _association(self)[1]})

    def list_pod_identity_associations(self: EKSResponse) -> ActionResult:
        cluster = _cluster(self.eks_backend, self._get_param("name"))
        namespace, account = _query(self, "namespace"), _query(self, "serviceAccount")
        found = [
            a
            for a in _store(cluster, "orch_pod_identity_associations").values()
            if namespace in (None, a["namespace"]) and account in (None, a["serviceAccount"])
        ]
        page, token = _page(found, _query(self, "maxResults"), _query(self, "nextToken"))
        return ActionResult({"associations": page, "nextToken": token})

    def update_pod_identity_association(self: EKSResponse) -> ActionResult:
        _, association = _association(self)
        if association.get("ownerArn"):
            _raise(
                "InvalidRequestException",
                "This Pod Identity Association is managed by an add-on; update the add-on instead.",
                clusterName=self._get_param("name"),
            )
        for key in ("roleArn", "disableSessionTags", "targetRoleArn", "policy"):
            if self._get_param(key) is not None:
                association[key] = self._get_param(key)
        association["modifiedAt"] = _now()
        return ActionResult({"association": association})

    def delete_pod_identity_association(self: EKSResponse) -> ActionResult:
        cluster, association = _association(self)
        if association.get("ownerArn"):
            _raise(
                "InvalidRequestException",
                "This Pod Identity Association is managed by an add-on; update the add-on instead.",
                clusterName=self._get_param("name"),
            )
        del _store(cluster, "orch_pod_identity_associations")[association["associationId"]]
        return ActionResult({"association": association})

    for function in (
        create_pod_identity_association,
        describe_pod_identity_association,
        list_pod_identity_associations,
        update_pod_identity_association,
        delete_pod_identity_association,
    ):
        setattr(EKSResponse, function.__name__, function)


# ------------------------------------------------------------------------------------------
# Tags on every EKS resource (moto tags clusters only)
# ------------------------------------------------------------------------------------------


def _patch_tagging() -> None:
    from moto.core.responses import EmptyResult
    from moto.eks.models import EKSBackend
    from moto.eks.responses import EKSResponse

    def taggable(backend: Any, arn: str) -> dict[str, str]:
        for cluster in backend.clusters.values():
            if cluster.arn == arn:
                return cast("dict[str, str]", cluster.tags)
            for nodegroup in cluster.nodegroups.values():
                if nodegroup.arn == arn:
                    return cast("dict[str, str]", nodegroup.tags)
            for profile in cluster.fargate_profiles.values():
                if profile.fargate_profile_arn == arn:
                    return cast("dict[str, str]", profile.tags)
            for store, key in (
                ("orch_addons", "addonArn"),
                ("orch_access_entries", "accessEntryArn"),
                ("orch_pod_identity_associations", "associationArn"),
            ):
                for item in _store(cluster, store).values():
                    if item[key] == arn:
                        return cast("dict[str, str]", item["tags"])
        _raise("NotFoundException", f"Resource was not found: {arn}")

    def tag_resource(self: Any, resource_arn: str, tags: dict[str, str]) -> None:
        taggable(self, resource_arn).update(tags or {})

    def untag_resource(self: Any, resource_arn: str, tag_keys: list[str]) -> None:
        found = taggable(self, resource_arn)
        for key in [tag_keys] if isinstance(tag_keys, str) else tag_keys or []:
            found.pop(key, None)

    def list_tags_for_resource(self: Any, resource_arn: str) -> dict[str, str]:
        return taggable(self, resource_arn)

    def untag_resource_response(self: EKSResponse) -> EmptyResult:
        # tagKeys is a repeated query parameter; moto's handler reads only its first value.
        self.eks_backend.untag_resource(self._extract_arn_from_path(), self.querystring.get("tagKeys") or [])
        return EmptyResult()

    EKSResponse.untag_resource = untag_resource_response  # type: ignore[method-assign]  # replaces moto's method
    EKSBackend.tag_resource = tag_resource  # type: ignore[method-assign]  # replaces moto's method
    EKSBackend.untag_resource = untag_resource  # type: ignore[method-assign]  # replaces moto's method
    EKSBackend.list_tags_for_resource = list_tags_for_resource  # type: ignore[method-assign]  # replaces moto's method
