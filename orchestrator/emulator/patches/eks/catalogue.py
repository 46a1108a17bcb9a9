"""What AWS publishes that the emulator answers from a fixed list: the EKS access policies and the
Kubernetes minors (the add-ons' versions are in addon_versions)."""

from __future__ import annotations

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


def minor_key(version: str) -> tuple[int, int]:
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


def kubernetes_minor(version: str) -> str:
    """'1.35', '1.35.2' or 'v1.35' -> '1.35'."""
    major, minor = version.lstrip("v").split(".")[:2]
    return f"{major}.{minor}"
