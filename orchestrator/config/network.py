"""`network:` block: the VPC and its subnets."""

from __future__ import annotations

import ipaddress

from pydantic import Field, field_validator, model_validator

from orchestrator.config.base import Strict


class NetworkSettings(Strict):
    """`network:` block read by 10-networking; the defaults are the module's (plan.md's production table)."""

    vpc_cidr: str = "10.0.0.0/16"
    public_subnet_cidrs: list[str] = Field(default_factory=lambda: ["10.0.0.0/24", "10.0.1.0/24"])
    private_subnet_cidrs: list[str] = Field(default_factory=lambda: ["10.0.10.0/24", "10.0.11.0/24"])
    database_subnet_cidrs: list[str] = Field(default_factory=lambda: ["10.0.20.0/24", "10.0.21.0/24"])
    pod_subnet_cidrs: list[str] = Field(default_factory=lambda: ["10.0.100.0/22", "10.0.104.0/22"])
    # One NAT gateway for every AZ (dev): refused for production, whose checklist wants one per AZ.
    single_nat_gateway: bool = False

    @field_validator("vpc_cidr")
    @classmethod
    def _vpc(cls, value: str) -> str:
        network = _network(value)
        if not 16 <= network.prefixlen <= 24:
            raise ValueError(f"{value} must have a prefix between /16 and /24")
        return value

    @field_validator("public_subnet_cidrs", "private_subnet_cidrs", "database_subnet_cidrs", "pod_subnet_cidrs")
    @classmethod
    def _subnets(cls, values: list[str]) -> list[str]:
        for value in values:
            _network(value)
        return values

    @model_validator(mode="after")
    def _inside_vpc(self) -> NetworkSettings:
        vpc = ipaddress.IPv4Network(self.vpc_cidr)
        subnets = [
            (f"{tier}_subnet_cidrs", ipaddress.IPv4Network(cidr))
            for tier in ("public", "private", "database", "pod")
            for cidr in getattr(self, f"{tier}_subnet_cidrs")
        ]
        for field, subnet in subnets:
            if not subnet.subnet_of(vpc):
                raise ValueError(f"{field}: {subnet} is outside vpc_cidr {vpc}")
        for i, (first_field, first) in enumerate(subnets):
            for second_field, second in subnets[i + 1 :]:
                if first.overlaps(second):
                    raise ValueError(f"{first_field} {first} overlaps {second_field} {second}")
        return self


def _network(value: str) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(value)
    except ValueError:
        raise ValueError(f"not an IPv4 network address in CIDR notation: {value!r}") from None
