"""What EKS puts in a cluster: the gp2 StorageClass of every cluster, the ENIConfig CRD of the
vpc-cni add-on."""

from __future__ import annotations

from typing import Any


def gp2_storage_class(kubernetes_version: str) -> dict[str, Any]:
    """The gp2 StorageClass every EKS cluster is created with (the default class before 1.30)."""
    minor = tuple(int(x) for x in str(kubernetes_version).split(".")[:2])
    annotations = {"storageclass.kubernetes.io/is-default-class": "true"} if minor < (1, 30) else {}
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": "gp2", "annotations": annotations},
        "provisioner": "kubernetes.io/aws-ebs",
        "parameters": {"type": "gp2", "fsType": "ext4"},
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "WaitForFirstConsumer",
    }


# The ENIConfig CRD of the Amazon VPC CNI (github.com/aws/amazon-vpc-cni-k8s, charts/aws-vpc-cni/crds).
ENICONFIG_CRD: dict[str, Any] = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "eniconfigs.crd.k8s.amazonaws.com"},
    "spec": {
        "scope": "Cluster",
        "group": "crd.k8s.amazonaws.com",
        "preserveUnknownFields": False,
        "versions": [
            {
                "name": "v1alpha1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "x-kubernetes-preserve-unknown-fields": True,
                    }
                },
            }
        ],
        "names": {"plural": "eniconfigs", "singular": "eniconfig", "kind": "ENIConfig", "listKind": "ENIConfigList"},
    },
}
