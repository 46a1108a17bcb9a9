"""Add-on configuration: the schemas DescribeAddonConfiguration answers (after the real add-ons'
schemas, a data table) and the parsing of configurationValues.

Known difference from AWS, on purpose: configurationValues must parse as a JSON/YAML object, but are
not checked against the schema.
"""

from __future__ import annotations

import json
from typing import Any


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
