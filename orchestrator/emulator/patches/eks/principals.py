"""IAM principals as EKS sees them: the ARNs it accepts and the Kubernetes identity AWS gives each
kind of access entry."""

from __future__ import annotations

import re

PRINCIPAL_RE = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):iam::(?P<account>\d{12}):(?P<kind>role|user)/(?P<path>(?:[^/]+/)*)(?P<name>[^/]+)$"
)
ROLE_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+")
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


def default_username(principal_arn: str) -> str:
    """The Kubernetes username AWS gives a STANDARD entry: the session of a role, the ARN of a user."""
    match = PRINCIPAL_RE.match(principal_arn)
    if match and match["kind"] == "role":
        return f"arn:{match['partition']}:sts::{match['account']}:assumed-role/{match['name']}/{{{{SessionName}}}}"
    return principal_arn
