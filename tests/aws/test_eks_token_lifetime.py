"""A saved plan of the Kubernetes layer still applies after a long approval (issue 12, item 3).

EKS bearer tokens (`k8s-aws-v1.` + a presigned STS GetCallerIdentity URL) are accepted for 15
minutes after they are signed. Jenkins plans, waits for a human, then applies the saved plan.
A provider configured with a token from `data.aws_eks_cluster_auth` carries the plan-time token
into the saved plan; the apply then presents a dead token. The shipped providers file
(environments/catalog/kubernetes_providers.tf) uses the exec plugin
(`aws eks get-token`) instead, which signs a new token when the apply needs one.

What is real here: OpenTofu, the AWS, Kubernetes providers, the AWS CLI signing the token, the
emulator's STS answering the presigned URL (as the EKS authenticator calls STS). What stands in:
the Kubernetes API server is a small HTTPS server in this file (client-go sends credentials
only over TLS) that implements what the provider
calls for one ConfigMap and authenticates like EKS: decode the token, reject it when it was
signed before the "approval" ended (the clock of an approval longer than the token's lifetime is
simulated by a cut-off instant, not by waiting 15 minutes), else ask STS who signed it.
"""

from __future__ import annotations

import base64
import json
import shutil
import ssl
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from orchestrator.emulator import tls as emulator_tls
from tests.helpers import REGION, REPO, Emu, clean_env, tofu_runner

pytestmark = [pytest.mark.emulator, pytest.mark.engines]

PROVIDERS_FILE = REPO / "environments/catalog/kubernetes_providers.tf"
CLUSTER = "token-test"

CONFIG = """
terraform {{
  required_providers {{
    aws        = {{ source = "hashicorp/aws" }}
    kubernetes = {{ source = "hashicorp/kubernetes" }}
    helm       = {{ source = "hashicorp/helm" }}
  }}
}}

provider "aws" {{
  region                      = "{region}"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {{
    eks = "{endpoint}"
    iam = "{endpoint}"
    sts = "{endpoint}"
  }}
}}

variable "cluster_name" {{ type = string }}
variable "region" {{ type = string }}
variable "cluster_endpoint" {{ type = string }}
variable "cluster_certificate_authority_data" {{ type = string }}
variable "enable_kubernetes_resources" {{ type = bool }}

resource "kubernetes_config_map_v1" "probe" {{
  metadata {{
    name      = "approval-probe"
    namespace = "default"
  }}
  data = {{ planned = "yes" }}
}}
"""

# The design the issue names as the defect: a token read at plan time.
FROZEN_PROVIDERS = """
data "aws_eks_cluster_auth" "this" {
  name = var.cluster_name
}

provider "kubernetes" {
  host                   = var.cluster_endpoint
  cluster_ca_certificate = base64decode(var.cluster_certificate_authority_data)
  token                  = data.aws_eks_cluster_auth.this.token
}

provider "helm" {
  kubernetes = {
    host                   = var.cluster_endpoint
    cluster_ca_certificate = base64decode(var.cluster_certificate_authority_data)
    token                  = data.aws_eks_cluster_auth.this.token
  }
}
"""


def _protobuf_fields(data: bytes) -> list[tuple[int, bytes | int]]:
    """(field number, value) pairs of one protobuf message: varints and length-delimited only."""
    fields: list[tuple[int, bytes | int]] = []
    i = 0

    def varint() -> int:
        nonlocal i
        value = shift = 0
        while True:
            byte = data[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while i < len(data):
        key = varint()
        if key & 7 == 0:
            fields.append((key >> 3, varint()))
        elif key & 7 == 2:
            size = varint()
            fields.append((key >> 3, data[i : i + size]))
            i += size
        else:
            raise ValueError(f"wire type {key & 7} not expected in a ConfigMap")
    return fields


def _configmap_from_protobuf(body: bytes) -> dict[str, Any]:
    """A ConfigMap as client-go sends it (protobuf in the runtime.Unknown envelope), as JSON."""
    raw = next(v for n, v in _protobuf_fields(body[4:]) if n == 2)
    assert isinstance(raw, bytes)
    obj: dict[str, Any] = {"metadata": {}, "data": {}}
    for number, value in _protobuf_fields(raw):
        if not isinstance(value, bytes):
            continue  # immutable and other scalar fields
        if number == 1:  # ObjectMeta: name = 1, namespace = 3
            meta = dict(_protobuf_fields(value))
            obj["metadata"]["name"] = bytes(meta[1]).decode()  # type: ignore[arg-type]
        elif number == 2:  # data: map entries {key = 1, value = 2}
            entry = dict(_protobuf_fields(value))
            obj["data"][bytes(entry[1]).decode()] = bytes(entry.get(2, b"")).decode()  # type: ignore[arg-type]
    return obj


class FakeEksApi:
    """Kubernetes API stand-in with EKS's token authentication (see the module docstring)."""

    def __init__(self, sts_ca_bundle: str | None, tls_dir: Path) -> None:
        self.cutoff: datetime | None = None
        self.objects: dict[str, dict[str, Any]] = {}
        self.auth_log: list[str] = []
        self._sts_context = ssl.create_default_context(cafile=sts_ca_bundle)
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, code: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _status(self, code: int, reason: str, message: str) -> None:
                self._send(
                    code,
                    {
                        "kind": "Status",
                        "apiVersion": "v1",
                        "status": "Failure",
                        "message": message,
                        "reason": reason,
                        "code": code,
                    },
                )

            def _handle(self) -> None:
                who = api.authenticate(self.headers.get("Authorization", ""))
                if who is None:
                    self._status(401, "Unauthorized", "Unauthorized")
                    return
                path = urllib.parse.urlparse(self.path).path
                prefix = "/api/v1/namespaces/default/configmaps"
                if not path.startswith(prefix):
                    self._status(404, "NotFound", f"{path} not served by this stand-in")
                    return
                name = path[len(prefix) :].strip("/")
                if self.command == "POST":
                    length = int(self.headers.get("Content-Length", "0"))
                    body = self.rfile.read(length)
                    obj = _configmap_from_protobuf(body) if body.startswith(b"k8s\x00") else json.loads(body)
                    obj.setdefault("apiVersion", "v1")
                    obj.setdefault("kind", "ConfigMap")
                    meta = obj.setdefault("metadata", {})
                    meta.update(
                        namespace="default",
                        uid=f"uid-{meta['name']}",
                        resourceVersion="1",
                        creationTimestamp="2026-01-01T00:00:00Z",
                    )
                    api.objects[meta["name"]] = obj
                    self._send(201, obj)
                elif self.command == "GET" and name in api.objects:
                    self._send(200, api.objects[name])
                elif self.command == "DELETE" and name in api.objects:
                    self._send(200, api.objects.pop(name))
                else:
                    self._status(404, "NotFound", f'configmaps "{name}" not found')

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        cert, key = emulator_tls.ensure_certificate(tls_dir)
        self.ca_pem = cert.read_text()
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.server.server_address[1]}"

    def authenticate(self, header: str) -> str | None:
        """The caller's ARN, as EKS's authenticator finds it, or None (401)."""
        prefix = "Bearer k8s-aws-v1."
        if not header.startswith(prefix):
            self.auth_log.append(f"no EKS token: {header[:40]!r}")
            return None
        encoded = header[len(prefix) :]
        url = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
        query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
        signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        if self.cutoff is not None and signed < self.cutoff:
            self.auth_log.append(f"expired token signed {signed:%H:%M:%S}")
            return None
        request = urllib.request.Request(url, headers={"x-k8s-aws-id": CLUSTER, "Accept": "application/json"})
        with urllib.request.urlopen(request, context=self._sts_context, timeout=10) as resp:
            body = resp.read().decode()
        self.auth_log.append(f"token signed {signed:%H:%M:%S} accepted")
        return body

    def __enter__(self) -> FakeEksApi:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


def _plan_wait_apply(emu: Emu, tmp_path: Path, providers: str) -> tuple[Any, FakeEksApi]:
    """Plan to a file, let the approval outlive every token signed so far, apply the saved plan."""
    if shutil.which("aws") is None:
        pytest.skip("the AWS CLI (aws eks get-token) is not on PATH")
    work = tmp_path / "unit"
    work.mkdir()
    (work / "main.tf").write_text(CONFIG.format(region=REGION, endpoint=emu.endpoint))
    (work / "k8s_providers.tf").write_text(providers)
    env = clean_env(
        tmp_path / "home",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION=REGION,
        # The exec plugin inherits the engine's environment: the CLI signs for the emulator's STS.
        AWS_ENDPOINT_URL_STS=emu.endpoint,
        TF_CLI_CONFIG_FILE=str(REPO / ".venv/orch.tfrc"),
    )
    (tmp_path / "home").mkdir()
    run = tofu_runner(work, env, emu.status.ca_bundle)
    with FakeEksApi(emu.status.ca_bundle, tmp_path / "api") as api:
        variables = [
            f"-var=cluster_name={CLUSTER}",
            f"-var=region={REGION}",
            f"-var=cluster_endpoint={api.url}",
            f"-var=cluster_certificate_authority_data={base64.b64encode(api.ca_pem.encode()).decode()}",
            "-var=enable_kubernetes_resources=true",
        ]
        init = run("init")
        assert init.returncode == 0, init.stdout + init.stderr
        plan = run("plan", "-out=approved.tfplan", *variables)
        assert plan.returncode == 0, plan.stdout + plan.stderr
        # The approval takes longer than a token lives: every token signed until now is dead.
        time.sleep(1.1)
        api.cutoff = datetime.now(UTC).replace(microsecond=0)
        time.sleep(1.1)
        return run("apply", "approved.tfplan"), api


def test_a_saved_plan_applies_after_its_tokens_expired(emu: Emu, tmp_path: Path) -> None:
    applied, api = _plan_wait_apply(emu, tmp_path, PROVIDERS_FILE.read_text())
    assert applied.returncode == 0, applied.stdout + applied.stderr + "\n".join(api.auth_log)
    assert api.objects["approval-probe"]["data"] == {"planned": "yes"}
    assert any("accepted" in line for line in api.auth_log), api.auth_log
    plan_file = (tmp_path / "unit/approved.tfplan").read_bytes()
    assert b"k8s-aws-v1." not in plan_file, "the saved plan carries a bearer token"


def test_a_token_frozen_into_the_plan_is_refused(emu: Emu, tmp_path: Path) -> None:
    """The defect the providers file avoids, shown with the same stand-in: this test would pass
    for the shipped file only if it still used data.aws_eks_cluster_auth."""
    applied, api = _plan_wait_apply(emu, tmp_path, FROZEN_PROVIDERS)
    assert applied.returncode != 0
    assert "Unauthorized" in applied.stdout + applied.stderr, applied.stdout + applied.stderr
    assert any(line.startswith("expired token") for line in api.auth_log), api.auth_log
