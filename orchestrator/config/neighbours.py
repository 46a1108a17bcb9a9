"""What two environments must never share, checked against every other env.yaml beside this one."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import yaml

from orchestrator.config.environment import ENV_FILE, LIVE_DIR, EnvConfig
from orchestrator.config.network import NetworkSettings
from orchestrator.errors import ConfigError


def refuse_overlapping_environments(config: EnvConfig, path: Path) -> None:
    """What two environments must never share, checked against every other env.yaml beside this one.

    - VPC ranges: environments are built to be connected one day (peering, Transit Gateway, one
      VPN); two VPCs whose ranges overlap never can be.
    - DNS: External DNS of two clusters that may change the same names in the same hosted zone
      overwrite each other's records (a domain filter covers its subdomains too).

    A neighbour that does not parse is its own run's error, not this one's. Only a file in an
    environments/LIVE/<env>/ folder has neighbours (a lone env.yaml elsewhere has none).
    """
    if path.parent.parent.name != LIVE_DIR.name:
        return
    mine = ipaddress.IPv4Network(config.network.vpc_cidr)
    for other in sorted(path.parent.parent.glob(f"*/{ENV_FILE}")):
        if other.resolve() == path.resolve():
            continue
        try:
            raw = yaml.safe_load(other.read_text()) or {}
            network = raw.get("network") or {}
            theirs = ipaddress.IPv4Network(network.get("vpc_cidr", NetworkSettings().vpc_cidr))
            eks = raw.get("eks") or {}
            their_zones = {str(z) for z in eks.get("route53_zone_arns") or []}
            their_domains = [str(d).lower().rstrip(".") for d in eks.get("external_dns_domain_filters") or []]
        except (OSError, yaml.YAMLError, ValueError, AttributeError, TypeError):
            continue
        if mine.overlaps(theirs):
            raise ConfigError(
                f"{path}: network.vpc_cidr {mine} overlaps {theirs} of {other}: environments need"
                " distinct ranges to be peered or share a VPN (choose another /16, e.g. 10.N.0.0/16)"
            )
        shared = sorted(set(config.eks.route53_zone_arns) & their_zones)
        mine_domains = [d.lower().rstrip(".") for d in config.eks.external_dns_domain_filters]
        clash = [(a, b) for a in mine_domains for b in their_domains if _covers(a, b) or _covers(b, a)]
        if shared and clash:
            raise ConfigError(
                f"{path}: eks.external_dns_domain_filters {clash[0][0]} and {clash[0][1]} of {other} overlap in"
                f" the same hosted zone {shared[0]}: both clusters' External DNS would change the same"
                " records (give each environment its own zone or disjoint domains)"
            )


def _covers(domain: str, name: str) -> bool:
    return name == domain or name.endswith("." + domain)
