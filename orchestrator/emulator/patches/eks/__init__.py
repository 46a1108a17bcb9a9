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

One module per feature, each with its handlers and an `install()`: clusters, nodegroups, updates,
access (entries; `access.entry_for` is how the rest of the emulator reads them), access_policies,
addons, pod_identity, tagging. State kept on moto's objects and the lookups: models. The tables and
rules that need no moto (catalogue, addon_versions, addon_configuration, principals, pagination)
import none, so tests read them without loading moto; the handler modules import moto and are
imported by `install()` only.
"""

from __future__ import annotations

from importlib import import_module

from orchestrator.emulator.patches.eks.catalogue import DEFAULT_CLUSTER_VERSION

FEATURES = ("clusters", "nodegroups", "updates", "access", "access_policies", "addons", "pod_identity", "tagging")


def install() -> None:
    import moto.eks.models as models

    # Clusters and node groups created without a version: a current Kubernetes, not moto's 1.19.
    models.DEFAULT_KUBERNETES_VERSION = DEFAULT_CLUSTER_VERSION
    _register_routes()
    for feature in FEATURES:
        import_module(f"{__name__}.{feature}").install()


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
