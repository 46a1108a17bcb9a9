"""Applies the live layers 00 -> 50 of eks-prod to a moto server with real Terragrunt and
OpenTofu, reads the EKS side back with boto3, and checks that a second plan is empty.

Local mode (ORCH_LOCAL_ENDPOINT) turns off only what moto cannot serve, through
environments/LIVE/eks-prod/emulator-overrides.yaml (access entries, upgrade policy, node
group update config, managed add-ons, Kubernetes resources).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

boto3 = pytest.importorskip("boto3")

REPO = Path(__file__).resolve().parents[2]
ENV_DIR = REPO / "environments" / "LIVE" / "eks-prod"
VENV_BIN = REPO / ".venv" / "bin"
TOFU = VENV_BIN / "tofu"
TERRAGRUNT = VENV_BIN / "terragrunt"
MOTO = VENV_BIN / "moto_server"
TFRC = REPO / ".venv" / "orch.tfrc"
PLUGINS = Path(os.environ.get("ORCH_CACHE_DIR", Path.home() / ".cache" / "orch")) / "plugins"

REGION = "ap-northeast-2"
ACCOUNT_ID = "123456789012"
STATE_BUCKET = "orch-tfstate-eks-prod-111111111111"
STATE_KMS_ALIAS = "alias/orch-tfstate-eks-prod"
CLUSTER_NAME = "orch-eks-prod"

LAYERS = ["00-foundation", "10-networking", "20-security", "30-eks-cluster", "40-nodegroups", "50-addons"]
LOG_TYPES = {"api", "audit", "authenticator", "controllerManager", "scheduler"}
EXPECTED_NODE_GROUPS = {
    "system": {"instance_types": ["m6i.large"], "min": 2, "max": 4, "capacity": "ON_DEMAND"},
    "application": {"instance_types": ["m6i.xlarge"], "min": 2, "max": 10, "capacity": "ON_DEMAND"},
    "spot": {
        "instance_types": ["m6i.xlarge", "m5.xlarge", "m5a.xlarge", "m6a.xlarge"],
        "min": 0,
        "max": 20,
        "capacity": "SPOT",
    },
}

pytestmark = [pytest.mark.engines, pytest.mark.emulator, pytest.mark.slow]


def _missing_tools() -> str | None:
    for tool in (TOFU, TERRAGRUNT, MOTO):
        if not (tool.exists() and os.access(tool, os.X_OK)):
            return f"{tool.name} not installed in .venv/bin (run scripts/install-tools.sh)"
    if not TFRC.exists():
        return ".venv/orch.tfrc missing (run scripts/install-tools.sh)"
    for provider in ("aws", "helm", "kubernetes"):
        found = list(PLUGINS.glob(f"*/hashicorp/{provider}/*/*/terraform-provider-{provider}*"))
        if not found:
            return f"provider hashicorp/{provider} not in the mirror {PLUGINS} (run scripts/install-tools.sh)"
    return None


_reason = _missing_tools()
if _reason:
    pytest.skip(_reason, allow_module_level=True)


# ---------------------------------------------------------------------------------------
# Emulator and environment
# ---------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def moto_endpoint(tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    env = {**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}  # AWS managed policies for attachments
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(MOTO), "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=subprocess.STDOUT, env=env
        )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"moto_server exited early:\n{log.read_text()}")
            time.sleep(0.3)
    else:
        proc.terminate()
        pytest.fail("moto_server did not start within 60 s")
    yield endpoint
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _client(service: str, endpoint: str):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def bootstrap_state(endpoint: str) -> None:
    """What `orch bootstrap` does before the first run: the state bucket and its KMS alias."""
    s3 = _client("s3", endpoint)
    s3.create_bucket(Bucket=STATE_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    kms = _client("kms", endpoint)
    key_id = kms.create_key(Description="orch state")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=STATE_KMS_ALIAS, TargetKeyId=key_id)


@pytest.fixture(scope="module")
def tg_env(moto_endpoint, tmp_path_factory):
    bootstrap_state(moto_endpoint)
    work = tmp_path_factory.mktemp("tg")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "TF_", "TG_", "TERRAGRUNT_", "ORCH_"))
    }
    env.update(
        ORCH_LOCAL_ENDPOINT=moto_endpoint,
        ORCH_LOCAL_ACCOUNT_ID=ACCOUNT_ID,
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION=REGION,
        AWS_EC2_METADATA_DISABLED="true",
        TF_CLI_CONFIG_FILE=str(TFRC),
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        TG_TF_PATH=str(TOFU),
        TG_DOWNLOAD_DIR=str(work / "cache"),
        TG_NON_INTERACTIVE="true",
        TG_NO_COLOR="true",
    )
    return env


def terragrunt(env: dict, layer: str, *args: str, timeout: int = 1200) -> subprocess.CompletedProcess:
    cmd = [str(TERRAGRUNT), "run", "--working-dir", str(ENV_DIR / layer), "--", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _tail(result: subprocess.CompletedProcess, lines: int = 60) -> str:
    text = (result.stdout or "") + "\n" + (result.stderr or "")
    return "\n".join(text.splitlines()[-lines:])


def _plan_summary(result: subprocess.CompletedProcess) -> str:
    """The resource headers and changed attributes of a plan, or the tail of a failure."""
    keep = [
        line.split("tofu: ", 1)[-1]
        for line in (result.stdout or "").splitlines()
        if any(m in line for m in (" # ", " ~ ", " + ", " - ", "Plan:"))
    ]
    return "\n".join(keep[:80]) if keep else _tail(result)


# ---------------------------------------------------------------------------------------
# Reusable read-back assertions
# ---------------------------------------------------------------------------------------
def assert_cluster(eks, name: str, version: str = "1.35") -> dict:
    cluster = eks.describe_cluster(name=name)["cluster"]
    assert cluster["version"] == version
    assert cluster["status"] == "ACTIVE"
    enabled = {
        t for setup in cluster["logging"]["clusterLogging"] if setup.get("enabled") for t in setup["types"]
    }
    assert enabled == LOG_TYPES, f"control-plane log types: {enabled}"
    vpc = cluster["resourcesVpcConfig"]
    assert vpc["endpointPrivateAccess"] is True
    assert "0.0.0.0/0" not in vpc.get("publicAccessCidrs", []) or not vpc.get("endpointPublicAccess")
    return cluster


def assert_secrets_encryption(cluster: dict, kms) -> None:
    configs = cluster.get("encryptionConfig", [])
    assert len(configs) == 1, configs
    assert configs[0]["resources"] == ["secrets"]
    key_arn = configs[0]["provider"]["keyArn"]
    assert kms.describe_key(KeyId=key_arn)["KeyMetadata"]["KeyState"] == "Enabled"


def assert_log_group(logs, name: str) -> None:
    group_name = f"/aws/eks/{name}/cluster"
    groups = logs.describe_log_groups(logGroupNamePrefix=group_name)["logGroups"]
    group = next(g for g in groups if g["logGroupName"] == group_name)
    assert group.get("kmsKeyId"), "control-plane log group is not KMS-encrypted"
    assert group.get("retentionInDays", 0) >= 365


def assert_oidc_provider(iam, cluster: dict) -> None:
    issuer = cluster["identity"]["oidc"]["issuer"].removeprefix("https://")
    arns = [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]]
    match = [a for a in arns if a.endswith(f":oidc-provider/{issuer}")]
    assert match, f"no IAM OIDC provider for {issuer} in {arns}"
    provider = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=match[0])
    assert provider["ClientIDList"] == ["sts.amazonaws.com"]


def assert_node_groups(eks, cluster_name: str, expected: dict) -> dict[str, dict]:
    names = set(eks.list_nodegroups(clusterName=cluster_name)["nodegroups"])
    assert names == {f"{cluster_name}-{k}" for k in expected}, names
    found = {}
    for key, want in expected.items():
        ng = eks.describe_nodegroup(clusterName=cluster_name, nodegroupName=f"{cluster_name}-{key}")[
            "nodegroup"
        ]
        assert ng["instanceTypes"] == want["instance_types"], key
        assert ng["scalingConfig"]["minSize"] == want["min"], key
        assert ng["scalingConfig"]["maxSize"] == want["max"], key
        assert ng["capacityType"] == want["capacity"], key
        assert ng["launchTemplate"]["id"], key
        assert ng["tags"].get(f"k8s.io/cluster-autoscaler/{cluster_name}") == "owned", key
        assert ng["tags"].get("k8s.io/cluster-autoscaler/enabled") == "true", key
        found[key] = ng
    return found


def assert_launch_template_hardened(ec2, template_id: str, ebs_key_expected: bool = True) -> None:
    version = ec2.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=["$Latest"])
    data = version["LaunchTemplateVersions"][0]["LaunchTemplateData"]
    meta = data["MetadataOptions"]
    assert meta["HttpTokens"] == "required"
    assert meta["HttpEndpoint"] == "enabled"
    assert int(meta["HttpPutResponseHopLimit"]) == 1
    assert data["Monitoring"]["Enabled"] is True
    ebs = data["BlockDeviceMappings"][0]["Ebs"]
    assert ebs["VolumeType"] == "gp3"
    assert ebs["Encrypted"] is True
    if ebs_key_expected:
        assert ebs.get("KmsKeyId")


def assert_irsa_role(iam, role_name: str, subject: str) -> None:
    doc = iam.get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"]
    statement = doc["Statement"][0]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    subs = [v for k, v in statement["Condition"]["StringEquals"].items() if k.endswith(":sub")]
    assert subs and subject in (subs[0] if isinstance(subs[0], list) else [subs[0]])


# ---------------------------------------------------------------------------------------
# The test
# ---------------------------------------------------------------------------------------
@pytest.mark.timeout(2400)  # six applies and six plans with real engines on a small machine
def test_eks_layers_apply_on_emulator(tg_env, moto_endpoint):
    for layer in LAYERS:
        result = terragrunt(tg_env, layer, "apply", "-auto-approve", "-input=false")
        assert result.returncode == 0, f"apply {layer} failed:\n{_tail(result)}"

    eks = _client("eks", moto_endpoint)
    cluster = assert_cluster(eks, CLUSTER_NAME)
    assert_secrets_encryption(cluster, _client("kms", moto_endpoint))
    assert_log_group(_client("logs", moto_endpoint), CLUSTER_NAME)
    iam = _client("iam", moto_endpoint)
    assert_oidc_provider(iam, cluster)

    groups = assert_node_groups(eks, CLUSTER_NAME, EXPECTED_NODE_GROUPS)
    ec2 = _client("ec2", moto_endpoint)
    for ng in groups.values():
        assert_launch_template_hardened(ec2, ng["launchTemplate"]["id"])
    assert groups["system"]["taints"] == [
        {"key": "CriticalAddonsOnly", "value": "true", "effect": "NO_SCHEDULE"}
    ]
    assert groups["system"]["labels"]["role"] == "system"

    assert_irsa_role(iam, f"{CLUSTER_NAME}-vpc-cni", "system:serviceaccount:kube-system:aws-node")
    assert_irsa_role(
        iam,
        f"{CLUSTER_NAME}-load-balancer-controller",
        "system:serviceaccount:kube-system:aws-load-balancer-controller",
    )

    # Idempotence: nothing left to change in any layer (all layers are planned, then reported together).
    dirty = {}
    for layer in LAYERS:
        result = terragrunt(tg_env, layer, "plan", "-detailed-exitcode", "-input=false", "-lock=false")
        if result.returncode != 0:
            dirty[layer] = f"rc={result.returncode}\n{_plan_summary(result)}"
    assert not dirty, "second plan is not empty:\n" + "\n\n".join(f"== {k}: {v}" for k, v in dirty.items())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-v"]))
