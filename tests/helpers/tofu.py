"""The real OpenTofu against the emulator: a runner in a work directory and the configurations it applies."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from orchestrator import tools
from tests.helpers.emulator import REGION
from tests.helpers.repo import REPO


def tofu_runner(
    work: Path, env: dict[str, str], ca_bundle: str | None
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """`run("apply", "-auto-approve")`: the real OpenTofu in `work`, trusting the emulator's certificate."""
    tofu = str(tools.find_tool("tofu"))
    run_env = {**env, "AWS_CA_BUNDLE": str(ca_bundle)} if ca_bundle else dict(env)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        # show and output take no -input.
        flags = ["-no-color"] if args[0] in ("show", "output") else ["-input=false", "-no-color"]
        return subprocess.run(
            # Flags right after the subcommand: a saved plan file must stay the last argument.
            [tofu, args[0], *flags, *args[1:]],
            cwd=work,
            env=run_env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    return run


def emulator_provider(endpoint: str, *services: str, providers: tuple[str, ...] = ()) -> str:
    """The `terraform` and `provider "aws"` blocks of a root configuration whose `services` are the
    emulator at `endpoint` (test keys, no account or region checks); `providers`: other hashicorp
    providers it requires."""
    required = "\n".join(f'    {name} = {{ source = "hashicorp/{name}" }}' for name in ("aws", *providers))
    endpoints = "\n".join(f'    {service} = "{endpoint}"' for service in services)
    return f"""
terraform {{
  required_providers {{
{required}
  }}
}}

provider "aws" {{
  region                      = "{REGION}"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {{
{endpoints}
  }}
}}
"""


def emulator_network(name: str, cidr_octet: int) -> str:
    """A VPC (10.`cidr_octet`.0.0/16) with two subnets, a security group and a KMS key, all `.this`:
    what a data-tier module needs around it on the emulator."""
    return f"""
resource "aws_vpc" "this" {{
  cidr_block = "10.{cidr_octet}.0.0/16"
}}

resource "aws_subnet" "this" {{
  for_each          = {{ a = "10.{cidr_octet}.1.0/24", c = "10.{cidr_octet}.2.0/24" }}
  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value
  availability_zone = "{REGION}${{each.key}}"
}}

resource "aws_security_group" "this" {{
  name   = "{name}-test"
  vpc_id = aws_vpc.this.id
}}

resource "aws_kms_key" "this" {{
  description = "{name} test"
}}
"""


def redis_module_config(endpoint: str, name: str, cidr_octet: int, extra: str = "") -> str:
    """A root configuration applying terraform/modules/elasticache-redis on the emulator, with the
    VPC, subnets, security group and KMS key it needs; `extra` goes inside the module block."""
    provider = emulator_provider(endpoint, "ec2", "elasticache", "kms", "logs", "secretsmanager", "sts")
    return (
        provider
        + emulator_network(name, cidr_octet)
        + f"""
module "redis" {{
  source = "{REPO / "terraform/modules/elasticache-redis"}"

  name                           = "{name}"
  subnet_ids                     = [for s in aws_subnet.this : s.id]
  security_group_ids             = [aws_security_group.this.id]
  kms_key_arn                    = aws_kms_key.this.arn
  cloudwatch_logs_kms_key_arn    = aws_kms_key.this.arn
  secret_recovery_window_in_days = 0
{extra}}}
"""
    )
