"""orch: plan, apply and watch a Terragrunt-managed AWS EKS platform."""

__version__ = "0.1.0"
