"""EKS clusters get a real Kubernetes API: a local control plane per cluster, EKS authentication.

Why: without it nothing the platform puts inside a cluster (namespaces, RBAC, NetworkPolicies,
StorageClasses, ENIConfigs, Helm releases) could be applied locally. With the control-plane binaries
installed (scripts/install-tools.sh --only kube; orchestrator/emulator/kube/) and ORCH_LOCAL_KUBE not 0:

- CreateCluster starts etcd + kube-apiserver + kube-controller-manager + kube-scheduler + kwok for
  the cluster and waits until the API server is ready; DescribeCluster then answers its endpoint and
  its CA (certificateAuthority.data, base64 PEM) and the cluster's OIDC issuer signs its service
  account tokens. DeleteCluster and the emulator's end stop it.
- Authentication is EKS's (aws-iam-authenticator): the API server's token webhook
  (`/orch/kube/<account>/<region>/<cluster>/authenticate`, served here) takes `k8s-aws-v1.` tokens,
  the base64url of a presigned sts:GetCallerIdentity URL whose signed headers include x-k8s-aws-id
  (what `aws eks get-token` makes). The signature is checked for this cluster's name (a token for
  another cluster fails), the date for the 15-minute lifetime, and the URL is replayed to the
  emulator's STS to learn the caller. The caller's IAM principal (the role of an assumed-role
  session) must have an access entry on the cluster: its username (templated
  `{{SessionName}}`, `{{AccountID}}`) and kubernetesGroups are the Kubernetes identity. No access
  entry: 401, as on AWS.
- Authorization: RBAC first (bindings the layers create), then the authorization webhook
  (`.../authorize`): the entry's associated access policies. AmazonEKSClusterAdminPolicy allows
  everything; AmazonEKSAdminPolicy, AmazonEKSEditPolicy and AmazonEKSViewPolicy allow what
  Kubernetes' admin, edit and view ClusterRoles allow (read from the cluster itself),
  AmazonEKSAdminViewPolicy reads everything; a namespace-scoped association only in its namespaces
  (a trailing `*` matches a prefix).
- CreateNodegroup registers its nodes (desired size, named and labelled as EKS nodes are); kwok keeps
  them Ready and runs the pods scheduled there. CreateAddon vpc-cni installs the ENIConfig CRD, as the
  add-on does on EKS.

Without the binaries the clusters keep moto's placeholder endpoint and CA (the Kubernetes layers then
fail to connect; tests that need the API skip, naming the reason).

One module per feature, each with an `install()`: presigned (moto reading SigV4 query
authentication), webhooks (the routes the API servers call), clusters, nodegroups and addons (the
EKS calls that start a control plane, register nodes, install the vpc-cni add-on's objects), planes
(the running control planes, stopped with the emulator). The webhooks' answers: tokens
(authentication), authorization (access policies), both reading entries (the caller's access
entry); objects holds what EKS puts in every cluster.
"""

from __future__ import annotations

from importlib import import_module

FEATURES = ("presigned", "webhooks", "clusters", "nodegroups", "addons", "planes")


def install() -> None:
    for feature in FEATURES:
        import_module(f"{__name__}.{feature}").install()
