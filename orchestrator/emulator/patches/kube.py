"""EKS clusters get a real Kubernetes API: a local control plane per cluster, EKS authentication.

Why: without it nothing the platform puts inside a cluster (namespaces, RBAC, NetworkPolicies,
StorageClasses, ENIConfigs, Helm releases) could be applied locally. With the control-plane binaries
installed (scripts/install-tools.sh --only kube; orchestrator/emulator/kube_local.py) and ORCH_LOCAL_KUBE not 0:

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
"""

from __future__ import annotations

import base64
import concurrent.futures
import contextlib
import json
import os
import re
import ssl
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from orchestrator import settings

STATUS_PATH = "/orch/kube/status"  # whether this emulator's clusters get a Kubernetes API
TOKEN_PREFIX = "k8s-aws-v1."
CLUSTER_ID_HEADER = "x-k8s-aws-id"
TOKEN_LIFETIME = timedelta(minutes=15)
ALLOWED_QUERY = {
    "action",
    "version",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-expires",
    "x-amz-security-token",
    "x-amz-signature",
    "x-amz-signedheaders",
}
STS_HOST_RE = re.compile(r"^sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$")
WEBHOOK_RE = re.compile(
    r"^/orch/kube/(?P<account>\d{12})/(?P<region>[a-z0-9-]+)/(?P<cluster>[^/]+)/(?P<kind>authenticate|authorize)$"
)
# Access policy -> the Kubernetes ClusterRole whose rules it grants (None: everything).
POLICY_ROLES: dict[str, str | None] = {
    "AmazonEKSClusterAdminPolicy": None,
    "AmazonEKSAdminPolicy": "admin",
    "AmazonEKSEditPolicy": "edit",
    "AmazonEKSViewPolicy": "view",
}
READ_VERBS = {"get", "list", "watch"}

_planes: dict[tuple[str, str, str], Any] = {}
_planes_lock = threading.Lock()
# One long-lived thread starts every control plane: the components die with the thread that
# forked them (PR_SET_PDEATHSIG), and a request thread ends with its request.
_launcher = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="kube-launcher")
_role_rules: dict[tuple[tuple[str, str, str], str], tuple[float, list[dict[str, Any]]]] = {}


def install() -> None:
    _presigned_access_key()
    _webhooks()
    _eks_hooks()
    _stop_on_exit()


# ------------------------------------------------------------------------------------------
# state
# ------------------------------------------------------------------------------------------


def state_dir() -> Path:
    base = settings.emulator_state_dir()
    if base:
        return base / "kube"
    return Path(tempfile.gettempdir()) / f"orch-kube-{os.getpid()}"


def emulator_port() -> str:
    ports = settings.emulator_ports()
    return ports[0] if ports else ""


def emulator_ca() -> Path | None:
    ca = settings.emulator_ca()
    if ca:
        return ca
    argv = sys.argv
    for flag in ("-c", "--ssl-cert"):
        if flag in argv and argv.index(flag) + 1 < len(argv):
            return Path(argv[argv.index(flag) + 1])
    return None


def emulator_url() -> str:
    scheme = "https" if emulator_ca() else "http"
    return f"{scheme}://127.0.0.1:{emulator_port()}"


def plane(account: str, region: str, cluster: str) -> Any:
    return _planes.get((account, region, cluster))


def stop_all() -> None:
    with _planes_lock:
        planes = list(_planes.values())
        _planes.clear()
    for p in planes:
        with contextlib.suppress(Exception):
            p.stop()


def _stop_on_exit() -> None:
    """moto's server turns SIGTERM (`orch local down`) into sys.exit, which runs this; a reset of the
    emulator (/moto-api/reset) forgets every cluster, so their control planes stop too."""
    import atexit

    from moto.moto_api._internal.models import MotoAPIBackend

    atexit.register(stop_all)
    original_reset = MotoAPIBackend.reset

    def reset(self: Any) -> None:
        stop_all()
        original_reset(self)

    MotoAPIBackend.reset = reset  # type: ignore[method-assign]  # replaces moto's method


# ------------------------------------------------------------------------------------------
# presigned requests: the access key of SigV4 query authentication
# ------------------------------------------------------------------------------------------


def _presigned_access_key() -> None:
    """moto reads the caller's access key from the Authorization header only; a presigned URL
    (SigV4 query authentication, what an EKS token is) carries it in X-Amz-Credential."""
    from moto.core.responses import BaseResponse

    original = BaseResponse.get_access_key

    def get_access_key(self: Any) -> str:
        if "Authorization" not in self.headers:
            credential = self.querystring.get("X-Amz-Credential")
            if credential:
                return str(credential[0]).split("/", 1)[0]
        return str(original(self))

    BaseResponse.get_access_key = get_access_key  # type: ignore[method-assign]  # replaces moto's method

    # Which service a request is for: moto reads the credential scope of the Authorization header and,
    # without one, guesses from the body and path (an unsigned GET of "/?Action=GetCallerIdentity" to
    # the emulator's host becomes S3's ListBuckets). A presigned URL has the scope in X-Amz-Credential.
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original_infer = DomainDispatcherApplication.infer_service_region_host

    def infer_service_region_host(self: Any, environ: dict[str, Any], path: str) -> str | None:
        if not environ.get("HTTP_AUTHORIZATION"):
            credential = parse_qs(environ.get("QUERY_STRING", "")).get("X-Amz-Credential")
            if credential and credential[0].count("/") == 4:
                scope = f"AWS4-HMAC-SHA256 Credential={credential[0]}, SignedHeaders=host, Signature=-"
                environ = {**environ, "HTTP_AUTHORIZATION": scope}
        return original_infer(self, environ, path)

    DomainDispatcherApplication.infer_service_region_host = infer_service_region_host  # type: ignore[method-assign]  # replaces moto's method


# ------------------------------------------------------------------------------------------
# EKS: control plane per cluster, nodes per node group, the vpc-cni add-on's CRD
# ------------------------------------------------------------------------------------------


def _eks_hooks() -> None:
    from moto.core.responses import ActionResult
    from moto.eks.responses import EKSResponse

    from orchestrator.emulator import kube_local

    original_create = EKSResponse.create_cluster
    original_delete = EKSResponse.delete_cluster
    original_nodegroup = EKSResponse.create_nodegroup
    original_addon = EKSResponse.create_addon  # type: ignore[attr-defined]  # added by the eks patch

    def create_cluster(self: EKSResponse) -> ActionResult:
        result = original_create(self)
        if kube_local.available():
            backend = self.eks_backend
            cluster: Any = backend.clusters[self._get_param("name")]
            try:
                start_plane(backend.account_id, backend.region_name, cluster)
            except Exception:
                backend.clusters.pop(cluster.name, None)
                raise
        return result

    def delete_cluster(self: EKSResponse) -> ActionResult:
        backend = self.eks_backend
        result = original_delete(self)
        with _planes_lock:
            gone = _planes.pop((backend.account_id, backend.region_name, self._get_param("name")), None)
        if gone is not None:
            gone.stop()
        return result

    original_update_nodegroup = EKSResponse.update_nodegroup_config
    original_delete_nodegroup = EKSResponse.delete_nodegroup

    def _sync(response: EKSResponse, *, gone: bool = False) -> None:
        backend = response.eks_backend
        p = plane(backend.account_id, backend.region_name, response._get_param("name"))
        if p is None:
            return
        name = response._get_param("nodegroupName")
        nodegroup = backend.clusters[response._get_param("name")].nodegroups.get(name)
        sync_nodes(p, name, None if gone or nodegroup is None else nodegroup)

    def create_nodegroup(self: EKSResponse) -> ActionResult:
        result = original_nodegroup(self)
        _sync(self)
        return result

    def update_nodegroup_config(self: EKSResponse) -> ActionResult:
        result = original_update_nodegroup(self)
        if self._get_param("scalingConfig"):
            _sync(self)
        return result

    def delete_nodegroup(self: EKSResponse) -> ActionResult:
        result = original_delete_nodegroup(self)
        _sync(self, gone=True)
        return result

    original_update_addon = EKSResponse.update_addon  # type: ignore[attr-defined]  # added by the eks patch

    def create_addon(self: EKSResponse) -> ActionResult:
        result: ActionResult = original_addon(self)
        backend = self.eks_backend
        p = plane(backend.account_id, backend.region_name, self._get_param("name"))
        if p is not None and self._get_param("addonName") == "vpc-cni":
            vpc_cni_objects(p, self._get_param("configurationValues"))
        return result

    def update_addon(self: EKSResponse) -> ActionResult:
        result: ActionResult = original_update_addon(self)
        backend = self.eks_backend
        p = plane(backend.account_id, backend.region_name, self._get_param("name"))
        if p is not None and self._get_param("addonName") == "vpc-cni" and self._get_param("configurationValues"):
            vpc_cni_objects(p, self._get_param("configurationValues"))
        return result

    EKSResponse.create_cluster = create_cluster  # type: ignore[method-assign]  # replaces the eks patch's
    EKSResponse.delete_cluster = delete_cluster  # type: ignore[method-assign]  # replaces moto's method
    EKSResponse.create_nodegroup = create_nodegroup  # type: ignore[method-assign]  # replaces the eks patch's
    EKSResponse.update_nodegroup_config = update_nodegroup_config  # type: ignore[method-assign]  # the eks patch's
    EKSResponse.delete_nodegroup = delete_nodegroup  # type: ignore[method-assign]  # replaces moto's method
    EKSResponse.create_addon = create_addon  # type: ignore[attr-defined]  # replaces the eks patch's
    EKSResponse.update_addon = update_addon  # type: ignore[attr-defined]  # replaces the eks patch's


def start_plane(account: str, region: str, cluster: Any) -> Any:
    """Start the cluster's control plane (in the launcher thread) and point the cluster at it."""
    from orchestrator.emulator import kube_local

    key = (account, region, cluster.name)
    directory = state_dir() / account / region / cluster.name
    network = getattr(cluster, "kubernetes_network_config", None) or {}
    service_cidr = network.get("serviceIpv4Cidr") or kube_local.SERVICE_CIDR
    future = _launcher.submit(
        kube_local.start,
        cluster.name,
        directory,
        webhook_base=f"{emulator_url()}/orch/kube/{account}/{region}/{cluster.name}",
        webhook_ca=emulator_ca(),
        issuer=cluster.identity["oidc"]["issuer"],
        service_cidr=service_cidr,
    )
    p = future.result()
    with _planes_lock:
        old = _planes.pop(key, None)
        _planes[key] = p
    if old is not None:
        old.stop()
    cluster.endpoint = p.endpoint
    cluster.certificate_authority = {"data": base64.b64encode(p.ca_pem).decode()}
    p.apply("/apis/storage.k8s.io/v1/storageclasses", gp2_storage_class(cluster.version))
    return p


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


def vpc_cni_objects(p: Any, configuration: str | None) -> None:
    """What the vpc-cni add-on puts in the cluster that other objects need: the ENIConfig CRD, and
    with `eniConfig.create` in its configuration one ENIConfig per zone (name = zone, the zone's pod
    subnet and security groups), as the add-on's chart does."""
    p.apply("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", ENICONFIG_CRD)
    try:
        config = json.loads(configuration) if configuration else {}
    except ValueError:
        import yaml

        config = yaml.safe_load(configuration or "") or {}
    eni = (config or {}).get("eniConfig") or {}
    if not eni.get("create"):
        return
    path = "/apis/crd.k8s.amazonaws.com/v1alpha1/eniconfigs"
    deadline = time.monotonic() + 30
    while p.request("GET", path)[0] != 200:  # the CRD is served once established
        if time.monotonic() > deadline:
            raise RuntimeError("the ENIConfig CRD was not established within 30s")
        time.sleep(0.2)
    for zone, subnet in (eni.get("subnets") or {}).items():
        spec: dict[str, Any] = {"subnet": subnet.get("id")}
        if subnet.get("securityGroups"):
            spec["securityGroups"] = list(subnet["securityGroups"])
        obj = {
            "apiVersion": "crd.k8s.amazonaws.com/v1alpha1",
            "kind": "ENIConfig",
            "metadata": {"name": zone},
            "spec": spec,
        }
        code, answer = p.request("PUT", f"{path}/{zone}", obj)
        if code == 404:
            p.apply(path, obj)
        elif code not in (200, 201):
            raise RuntimeError(f"ENIConfig {zone}: {code} {answer}")


_nodes_lock = threading.Lock()
NODEGROUP_LABEL = "eks.amazonaws.com/nodegroup"


def sync_nodes(p: Any, name: str, nodegroup: Any | None) -> None:
    """The node group's Nodes as its desired size says (None: the group is gone): named like EC2
    nodes, labelled like EKS labels them (node group, capacity type, instance type, the group's
    labels) and tainted with its taints; kwok keeps them Ready."""
    from urllib.parse import quote

    from orchestrator.emulator import kube_local

    with _nodes_lock:  # node groups are created side by side
        code, answer = p.request("GET", "/api/v1/nodes?labelSelector=" + quote(f"{NODEGROUP_LABEL}={name}"))
        current = sorted(n["metadata"]["name"] for n in answer.get("items", [])) if code == 200 else []
        desired = 0
        if nodegroup is not None:
            desired = int((getattr(nodegroup, "scaling_config", None) or {}).get("desiredSize", 0) or 0)
        for extra in current[desired:]:
            p.request("DELETE", f"/api/v1/nodes/{extra}")
        if nodegroup is None or len(current) >= desired:
            return
        labels = {
            NODEGROUP_LABEL: name,
            "eks.amazonaws.com/capacityType": getattr(nodegroup, "capacity_type", None) or "ON_DEMAND",
            **{str(k): str(v) for k, v in (getattr(nodegroup, "labels", None) or {}).items()},
        }
        instance_types = getattr(nodegroup, "instance_types", None) or []
        if instance_types:
            labels["node.kubernetes.io/instance-type"] = instance_types[0]
        taints = [
            {
                "key": t["key"],
                "value": t.get("value", ""),
                "effect": _TAINT_EFFECTS.get(t.get("effect", ""), t.get("effect")),
            }
            for t in (getattr(nodegroup, "taints", None) or [])
            if t.get("key")
        ]
        group = zlib.crc32(name.encode()) % 250 + 1  # one "subnet" per group: names never collide
        taken, i = set(current), 0
        while len(taken) < desired:
            node_name = f"ip-10-{group}-{i // 250}-{i % 250 + 1}.ec2.internal"
            i += 1
            if node_name in taken:
                continue
            node = kube_local.fake_node(node_name, labels)
            if taints:
                node["spec"]["taints"] = taints
            p.apply("/api/v1/nodes", node)
            taken.add(node_name)


_TAINT_EFFECTS = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute", "PREFER_NO_SCHEDULE": "PreferNoSchedule"}


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


# ------------------------------------------------------------------------------------------
# webhooks
# ------------------------------------------------------------------------------------------


def _webhooks() -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original_call = DomainDispatcherApplication.__call__

    def call(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == STATUS_PATH:
            from orchestrator.emulator import kube_local

            status = json.dumps({"available": kube_local.available(), "reason": kube_local.unavailable_reason()})
            start_response("200 OK", [("Content-Type", "application/json")])
            return [status.encode()]
        match = WEBHOOK_RE.match(environ.get("PATH_INFO", ""))
        if match is None or environ.get("REQUEST_METHOD") != "POST":
            return original_call(self, environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            review = json.loads(environ["wsgi.input"].read(length) or b"{}")
        except (ValueError, OSError):
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"not a JSON review"]
        key = (match["account"], match["region"], match["cluster"])
        answer = token_review(key, review) if match["kind"] == "authenticate" else access_review(key, review)
        body = json.dumps(answer).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    DomainDispatcherApplication.__call__ = call  # type: ignore[method-assign]  # replaces moto's method


def token_review(key: tuple[str, str, str], review: dict[str, Any]) -> dict[str, Any]:
    token = str((review.get("spec") or {}).get("token") or "")
    try:
        status = {"authenticated": True, "user": authenticate(key, token)}
    except PermissionError as exc:
        print(f"orch-emulator kube {key[2]}: token refused: {exc}", file=sys.stderr, flush=True)
        status = {"authenticated": False, "error": str(exc)}
    return {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "status": status}


class Caller:
    def __init__(self, arn: str, account: str, user_id: str, access_key: str) -> None:
        self.arn, self.account, self.user_id, self.access_key = arn, account, user_id, access_key

    @property
    def session_name(self) -> str:
        return self.arn.rsplit("/", 1)[1] if ":assumed-role/" in self.arn else ""

    @property
    def principal_arn(self) -> str:
        """The IAM principal of an STS identity: the role of an assumed-role session."""
        match = re.match(r"^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role/([^/]+)/.+$", self.arn)
        if match:
            return f"arn:{match[1]}:iam::{match[2]}:role/{match[3]}"
        match = re.match(r"^arn:(aws[a-z-]*):sts::(\d{12}):user/(.+)$", self.arn)  # moto's default caller
        if match:
            return f"arn:{match[1]}:iam::{match[2]}:user/{match[3]}"
        return self.arn


def verify_token(token: str, cluster_name: str, *, now: datetime | None = None) -> tuple[str, dict[str, str]]:
    """Check a `k8s-aws-v1.` token as aws-iam-authenticator does; return (presigned URL, its query)."""
    if not token.startswith(TOKEN_PREFIX):
        raise PermissionError("token is not a k8s-aws-v1 token")
    encoded = token[len(TOKEN_PREFIX) :]
    try:
        url = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise PermissionError("token is not base64url") from None
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "https" and not (parts.scheme == "http" and host in ("127.0.0.1", "localhost")):
        raise PermissionError(f"unexpected scheme {parts.scheme!r} in the presigned URL")
    if host not in ("127.0.0.1", "localhost") and not STS_HOST_RE.match(host):
        raise PermissionError(f"unexpected hostname {host!r} in the presigned URL (not STS)")
    if parts.path not in ("", "/"):
        raise PermissionError("unexpected path in the presigned URL")
    query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    lowered = {k.lower(): v for k, v in query.items()}
    extra = set(lowered) - ALLOWED_QUERY
    if extra:
        raise PermissionError(f"non-allowlisted query parameters {sorted(extra)}")
    if lowered.get("action") != "GetCallerIdentity":
        raise PermissionError("the presigned URL is not an sts:GetCallerIdentity call")
    signed = lowered.get("x-amz-signedheaders", "").split(";")
    if CLUSTER_ID_HEADER not in signed:
        raise PermissionError(f"{CLUSTER_ID_HEADER} is not a signed header of the token")
    try:
        date = datetime.strptime(lowered.get("x-amz-date", ""), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise PermissionError("X-Amz-Date is missing or malformed") from None
    now = now or datetime.now(UTC)
    if now > date + TOKEN_LIFETIME:
        raise PermissionError("X-Amz-Date parameter is expired (15 minute expiration)")
    if date > now + timedelta(minutes=5):
        raise PermissionError("X-Amz-Date is in the future")
    _check_signature(url, query, cluster_name)
    return url, query


def _secret_of(access_key: str) -> str | None:
    """The secret of credentials the emulator issued (STS sessions, IAM user keys), or of its test
    credentials (`test`); None for anything else."""
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends

    for account in list(sts_backends):
        for partition in list(sts_backends[account]):
            for role in sts_backends[account][partition].assumed_roles:
                if role.access_key_id == access_key:
                    return str(role.secret_access_key)
    for account in list(iam_backends):
        for partition in list(iam_backends[account]):
            user = iam_backends[account][partition].get_user_from_access_key_id(access_key)
            if user is not None:
                for key in user.access_keys:
                    if key.access_key_id == access_key:
                        return str(key.secret_access_key)
    return "test" if access_key == "test" else None


def _check_signature(url: str, query: dict[str, str], cluster_name: str) -> None:
    """Recompute the presigned URL's SigV4 signature with x-k8s-aws-id = this cluster (STS checks it on
    AWS; moto does not check signatures). A token for another cluster, or altered, fails here."""
    from botocore.auth import SigV4QueryAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    try:
        access_key, _date, region, service, _term = query["X-Amz-Credential"].split("/")
        expires = int(query["X-Amz-Expires"])
    except (KeyError, ValueError):
        raise PermissionError("X-Amz-Credential or X-Amz-Expires is malformed") from None
    secret = _secret_of(access_key)
    if secret is None:
        raise PermissionError("InvalidClientTokenId: the security token included in the request is invalid")
    parts = urlsplit(url)
    operation = "&".join(f"{k}={query[k]}" for k in ("Action", "Version") if k in query)
    request = AWSRequest(
        method="GET", url=f"{parts.scheme}://{parts.netloc}{parts.path or '/'}?{operation}", headers={}
    )
    request.headers[CLUSTER_ID_HEADER] = cluster_name
    request.context["timestamp"] = query["X-Amz-Date"]
    auth = SigV4QueryAuth(Credentials(access_key, secret, query.get("X-Amz-Security-Token")), service, region, expires)
    auth._modify_request_before_signing(request)  # type: ignore[attr-defined]  # botocore's signing step, untyped
    canonical = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical), request)
    if signature != query.get("X-Amz-Signature"):
        raise PermissionError(
            "SignatureDoesNotMatch: the token was not signed for this cluster (x-k8s-aws-id) or was altered"
        )


def replay(url: str, query: dict[str, str], cluster_name: str) -> Caller:
    """GET the presigned URL from the emulator's STS (whatever STS host it names), as the authenticator
    does from STS: the caller's ARN, account and user id."""
    import xml.etree.ElementTree as ET

    parts = urlsplit(url)
    target = f"{emulator_url()}{parts.path or '/'}?{parts.query}"
    request = urllib.request.Request(target, headers={CLUSTER_ID_HEADER: cluster_name, "Accept": "application/json"})
    ca = emulator_ca()
    context = ssl.create_default_context(cafile=str(ca)) if ca else None
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        raise PermissionError(f"sts:GetCallerIdentity answered {exc.code}") from None
    try:
        result = json.loads(raw)["GetCallerIdentityResponse"]["GetCallerIdentityResult"]
        arn, account, user_id = result["Arn"], result["Account"], result["UserId"]
    except (ValueError, KeyError, TypeError):
        root = ET.fromstring(raw)
        found = {el.tag.rsplit("}", 1)[-1]: (el.text or "") for el in root.iter()}
        arn, account, user_id = found.get("Arn", ""), found.get("Account", ""), found.get("UserId", "")
    if not arn:
        raise PermissionError("sts:GetCallerIdentity named no caller")
    return Caller(arn, account, user_id, query["X-Amz-Credential"].split("/", 1)[0])


def _cluster(key: tuple[str, str, str]) -> Any:
    from moto.eks.models import eks_backends

    account, region, name = key
    try:
        return eks_backends[account][region].clusters.get(name)
    except KeyError:
        return None


def access_entry(key: tuple[str, str, str], principal_arn: str) -> dict[str, Any] | None:
    """The cluster's access entry of an IAM principal (a role matched by account and name, as EKS
    matches a session's role whatever its path)."""
    cluster = _cluster(key)
    if cluster is None:
        return None
    if (getattr(cluster, "access_config", None) or {}).get("authenticationMode") == "CONFIG_MAP":
        return None
    entries: dict[str, dict[str, Any]] = getattr(cluster, "orch_access_entries", {})
    if principal_arn in entries:
        return entries[principal_arn]
    from orchestrator.emulator.patches.eks.principals import PRINCIPAL_RE

    wanted = PRINCIPAL_RE.match(principal_arn)
    if wanted is None:
        return None
    for arn, entry in entries.items():
        found = PRINCIPAL_RE.match(arn)
        if found and (found["account"], found["kind"], found["name"]) == (
            wanted["account"],
            wanted["kind"],
            wanted["name"],
        ):
            return entry
    return None


def authenticate(key: tuple[str, str, str], token: str) -> dict[str, Any]:
    cluster_name = key[2]
    if _cluster(key) is None:
        raise PermissionError(f"no cluster {cluster_name}")
    url, query = verify_token(token, cluster_name)
    caller = replay(url, query, cluster_name)
    principal = caller.principal_arn
    entry = access_entry(key, principal)
    if entry is None:
        raise PermissionError(f"{principal} has no access entry on cluster {cluster_name}")
    if entry.get("type", "STANDARD") != "STANDARD":
        raise PermissionError(f"{principal}'s access entry is of type {entry.get('type')} (nodes only)")
    username = str(entry.get("username") or principal)
    for placeholder, value in (
        ("{{SessionName}}", caller.session_name),
        ("{{SessionNameRaw}}", caller.session_name),
        ("{{AccountID}}", caller.account),
        ("{{AccessKeyID}}", caller.access_key),
    ):
        username = username.replace(placeholder, value)
    return {
        "username": username,
        "uid": f"aws-iam-authenticator:{caller.account}:{caller.user_id}",
        "groups": list(entry.get("kubernetesGroups") or []),
        "extra": {
            "arn": [caller.arn],
            "canonicalArn": [principal],
            "sessionName": [caller.session_name],
            "accessKeyId": [caller.access_key],
            "principalId": [caller.user_id],
        },
    }


def access_review(key: tuple[str, str, str], review: dict[str, Any]) -> dict[str, Any]:
    spec = review.get("spec") or {}
    allowed, reason = authorize(key, spec)
    if settings.kube_debug():
        print(f"orch-emulator kube {key[2]}: {json.dumps(spec)} -> {allowed} {reason}", file=sys.stderr, flush=True)
    status: dict[str, Any] = {"allowed": allowed}
    if reason:
        status["reason"] = reason
    return {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "status": status}


def authorize(key: tuple[str, str, str], spec: dict[str, Any]) -> tuple[bool, str]:
    """(allowed, reason) from the access policies associated with the caller's access entry."""
    principal = ((spec.get("extra") or {}).get("canonicalArn") or [None])[0]
    if not principal:
        return False, ""  # not an EKS token's identity: RBAC alone decides
    entry = access_entry(key, principal)
    if entry is None:
        return False, ""
    attributes = spec.get("resourceAttributes")
    namespace = (attributes or {}).get("namespace") or ""
    for arn, association in (entry.get("policies") or {}).items():
        name = arn.rsplit("/", 1)[-1]
        scope = association.get("accessScope") or {}
        in_scope = bool(attributes and namespace) and any(
            _ns_match(n, namespace) for n in scope.get("namespaces") or []
        )
        if scope.get("type") == "namespace" and not in_scope:
            continue
        if name == "AmazonEKSClusterAdminPolicy":
            return True, f"EKS access policy {name}"
        if name == "AmazonEKSAdminViewPolicy":
            verb = (attributes or spec.get("nonResourceAttributes") or {}).get("verb", "")
            if verb in READ_VERBS:
                return True, f"EKS access policy {name}"
            continue
        role = POLICY_ROLES.get(name)
        if role and _rules_allow(_cluster_role_rules(key, role), spec):
            return True, f"EKS access policy {name} ({role})"
    return False, ""


def _ns_match(pattern: str, namespace: str) -> bool:
    return namespace.startswith(pattern[:-1]) if pattern.endswith("*") else namespace == pattern


def _cluster_role_rules(key: tuple[str, str, str], role: str) -> list[dict[str, Any]]:
    cached = _role_rules.get((key, role))
    if cached and time.monotonic() - cached[0] < 30:
        return cached[1]
    p = plane(*key)
    rules: list[dict[str, Any]] = []
    if p is not None:
        code, answer = p.request("GET", f"/apis/rbac.authorization.k8s.io/v1/clusterroles/{role}")
        if code == 200 and isinstance(answer, dict):
            rules = list(answer.get("rules") or [])
    if rules:  # the aggregated roles are empty until the controller manager has filled them
        _role_rules[(key, role)] = (time.monotonic(), rules)
    return rules


def _rules_allow(rules: list[dict[str, Any]], spec: dict[str, Any]) -> bool:
    res = spec.get("resourceAttributes")
    if res:
        verb, group = res.get("verb", ""), res.get("group", "")
        resource = res.get("resource", "")
        if res.get("subresource"):
            resource = f"{resource}/{res['subresource']}"
        name = res.get("name", "")
        for rule in rules:
            if not _has(rule.get("verbs"), verb) or not _has(rule.get("apiGroups"), group):
                continue
            if not _has(rule.get("resources"), resource):
                continue
            names = rule.get("resourceNames") or []
            if names and name not in names:
                continue
            return True
        return False
    non = spec.get("nonResourceAttributes") or {}
    path, verb = non.get("path", ""), non.get("verb", "")
    for rule in rules:
        if not _has(rule.get("verbs"), verb):
            continue
        for url in rule.get("nonResourceURLs") or []:
            if url == "*" or url == path or (url.endswith("*") and path.startswith(url[:-1])):
                return True
    return False


def _has(values: list[str] | None, wanted: str) -> bool:
    values = values or []
    return "*" in values or wanted in values or ("/" in wanted and f"*/{wanted.split('/', 1)[1]}" in values)
