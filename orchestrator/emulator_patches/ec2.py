"""EC2: fixes of moto bugs that would show as a change on every plan."""

from __future__ import annotations


def install() -> None:
    _fix_security_group_rule_descriptions()


def _fix_security_group_rule_descriptions() -> None:
    """moto 5.2 stores the description of a rule that references another security group with
    the group pair, but DescribeSecurityGroupRules reads it from the CIDR range only; every
    such rule would then plan a description change forever. A moto bug, not a missing API,
    so it is fixed in the emulator rather than switched off in the modules."""
    from moto.ec2.models.security_groups import SecurityGroupRule

    SecurityGroupRule.description = property(  # type: ignore[assignment,method-assign]
        lambda self: self.ip_range.get("Description") or self.source_group.get("Description")
    )
