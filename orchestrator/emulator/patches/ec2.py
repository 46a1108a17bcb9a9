"""EC2: fixes of moto bugs that would show as a change on every plan, and the EBS default-key reads."""

from __future__ import annotations


def install() -> None:
    _fix_security_group_rule_descriptions()
    _add_ebs_default_kms_key_get_and_reset()


def _fix_security_group_rule_descriptions() -> None:
    """moto 5.2 stores the description of a rule that references another security group with
    the group pair, but DescribeSecurityGroupRules reads it from the CIDR range only; every
    such rule would then plan a description change forever. A moto bug, not a missing API,
    so it is fixed in the emulator rather than switched off in the modules."""
    from moto.ec2.models.security_groups import SecurityGroupRule

    SecurityGroupRule.description = property(  # type: ignore[assignment,method-assign]  # replaces moto's property
        lambda self: self.ip_range.get("Description") or self.source_group.get("Description")
    )


def _add_ebs_default_kms_key_get_and_reset() -> None:
    """GetEbsDefaultKmsKeyId and ResetEbsDefaultKmsKeyId (botocore ec2 model: both answer
    `{"KmsKeyId": ARN}`). moto implements ModifyEbsDefaultKmsKeyId and keeps the key on the
    backend, but not the read the provider's aws_ebs_default_kms_key refreshes with, nor the
    reset it deletes with. As on AWS, an account that never chose a key gets the AWS managed
    alias/aws/ebs key (moto creates it on first use), and a reset goes back to that key."""
    from moto.core.responses import ActionResult
    from moto.ec2.responses.elastic_block_store import ElasticBlockStore

    def get_ebs_default_kms_key_id(self: ElasticBlockStore) -> ActionResult:
        self.error_on_dryrun()
        backend = self.ec2_backend
        return ActionResult({"KmsKeyId": backend.default_kms_key_id or backend.modify_ebs_default_kms_key_id("")})

    def reset_ebs_default_kms_key_id(self: ElasticBlockStore) -> ActionResult:
        self.error_on_dryrun()
        return ActionResult({"KmsKeyId": self.ec2_backend.modify_ebs_default_kms_key_id("")})

    ElasticBlockStore.get_ebs_default_kms_key_id = get_ebs_default_kms_key_id  # type: ignore[attr-defined]  # new method: moto has none
    ElasticBlockStore.reset_ebs_default_kms_key_id = reset_ebs_default_kms_key_id  # type: ignore[attr-defined]  # new method: moto has none
