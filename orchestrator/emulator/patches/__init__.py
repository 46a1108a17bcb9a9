"""What the embedded emulator adds to moto, one module per AWS service (a subpackage with one module
per feature where a service needs several: eks, elasticache).

Each module's `install()` patches moto in the emulator process (never in orch's own process).
A patch exists where moto misses an API or behaves unlike AWS in a way the modules cannot avoid;
the reason is written in the module. What no patch can reasonably cover is switched off by an
input in `environments/emulator-overrides.yaml` instead, with its reason there.
"""

from __future__ import annotations

from importlib import import_module

# Order matters where patches wrap the same moto function (the WSGI entry point): each wraps what it
# finds, so a later one runs first. `retries` is outermost (a replayed answer runs nothing below it), then
# `throttle` (a throttled request reaches nothing below it; it sees CloudWatch's CBOR untranslated);
# `request_log` is innermost (it sees the answer every request really got).
PATCHES = (
    "request_log",
    "accounts",
    "s3_policy",
    "s3",
    "s3control_proxy",
    "efs",
    "rds",
    "ec2",
    "elasticache",
    "cloudwatch",
    "eks",
    "backup",
    "budgets",
    "ce",
    "chatbot",
    "amp",
    "logs",
    "guardduty",
    "securityhub",
    "throttle",
    "issued_credentials",
    "retries",
    "kube",  # outermost: the Kubernetes API's webhooks (/orch/kube/...) never reach moto
)


def install_all() -> None:
    for name in PATCHES:
        import_module(f"{__name__}.{name}").install()
