"""The state backend's wanted documents and the reconcile loop, without AWS or moto."""

from __future__ import annotations

import json
from typing import Any

from orchestrator.aws.backend import policies
from orchestrator.aws.backend.reconcile import Reconciler, Setting


def test_partition_comes_from_the_caller_arn() -> None:
    assert policies.partition_of("arn:aws-cn:iam::123456789012:user/x") == "aws-cn"
    assert policies.partition_of(None) == "aws"
    assert policies.partition_of("not-an-arn") == "aws"


def test_a_bare_account_id_means_its_root() -> None:
    arns = policies.principal_arns("aws", ["222233334444", "arn:aws:iam::555566667777:role/ci"])
    assert arns == ["arn:aws:iam::222233334444:root", "arn:aws:iam::555566667777:role/ci"]


def test_key_policy_lets_the_account_administer_and_principals_use_the_key() -> None:
    alone = policies.key_policy("aws", "111122223333", [])
    assert [s["Sid"] for s in alone["Statement"]] == ["AccountAdministersKey"]
    assert alone["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}

    shared = policies.key_policy("aws", "111122223333", ["444455556666"])
    grant = shared["Statement"][1]
    assert grant == policies.cross_account_key_statement("aws", ["444455556666"])
    assert grant["Sid"] == policies.CROSS_ACCOUNT_KEY_SID
    assert grant["Principal"] == {"AWS": ["arn:aws:iam::444455556666:root"]}
    assert "kms:Decrypt" in grant["Action"] and "kms:*" not in grant["Action"]


def test_bucket_policy_denies_plain_http_and_unencrypted_uploads() -> None:
    policy = policies.bucket_policy("aws", "state", [])
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert set(by_sid) == {"DenyInsecureTransport", "DenyUnencryptedUploads"}
    assert by_sid["DenyInsecureTransport"]["Resource"] == ["arn:aws:s3:::state", "arn:aws:s3:::state/*"]
    assert by_sid["DenyUnencryptedUploads"]["Condition"] == {
        "StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}
    }
    assert policies.denies_insecure_transport(json.dumps(policy))


def test_bucket_policy_grants_state_access_to_the_cross_account_principals() -> None:
    policy = policies.bucket_policy("aws-us-gov", "state", ["444455556666"])
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["CrossAccountListState"]["Resource"] == "arn:aws-us-gov:s3:::state"
    assert by_sid["CrossAccountReadWriteState"]["Principal"] == {"AWS": ["arn:aws-us-gov:iam::444455556666:root"]}


def test_lifecycle_rule_and_what_counts_as_the_same_rule() -> None:
    rule = policies.lifecycle_rule(90)
    assert rule["ID"] == policies.LIFECYCLE_RULE_ID
    assert rule["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": policies.ABORT_MULTIPART_DAYS}
    assert policies.lifecycle_matches(rule, 90)
    assert not policies.lifecycle_matches(rule, 30)
    assert not policies.lifecycle_matches({**rule, "Status": "Disabled"}, 90)


def test_encryption_configuration_names_the_key_with_bucket_key_on() -> None:
    [rule] = policies.encryption_configuration("arn:aws:kms:r:1:key/k")["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": "arn:aws:kms:r:1:key/k",
    }
    assert rule["BucketKeyEnabled"] is True


def test_tag_set_is_sorted_by_key() -> None:
    assert policies.tag_set({"b": "2", "a": "1"}) == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]


def test_normalise_ignores_order_single_item_lists_and_the_policy_id() -> None:
    ours = policies.bucket_policy("aws", "state", ["444455556666"])
    as_aws_returns_it = {
        "Id": "generated",
        "Version": "2012-10-17",
        "Statement": [
            {**s, "Principal": {"AWS": s["Principal"]["AWS"][0]}} if isinstance(s["Principal"], dict) else s
            for s in reversed(ours["Statement"])
        ],
    }
    assert policies.normalise(as_aws_returns_it) == policies.normalise(ours)
    assert policies.normalise(policies.bucket_policy("aws", "other", [])) != policies.normalise(ours)


def test_denies_insecure_transport_needs_a_deny_of_all_actions_on_secure_transport_false() -> None:
    def policy(**statement: Any) -> str:
        return json.dumps({"Statement": {"Effect": "Deny", "Action": "s3:*", **statement}})

    assert policies.denies_insecure_transport(policy(Condition={"Bool": {"aws:SecureTransport": ["false"]}}))
    assert not policies.denies_insecure_transport(policy(Condition={"Bool": {"aws:SecureTransport": "true"}}))
    assert not policies.denies_insecure_transport(
        policy(Effect="Allow", Condition={"Bool": {"aws:SecureTransport": "false"}})
    )
    assert not policies.denies_insecure_transport("not json")
    assert not policies.denies_insecure_transport(None)


class _Resource:
    name = "thing"

    def __init__(self, value: bool | None) -> None:
        self.value = value
        self.puts: list[object] = []


def _flag(what: str = "{r.name} is off", **extra: Any) -> Setting[_Resource]:
    return Setting(
        what,
        read=lambda r: r.value,
        is_ok=lambda _r, have: have,
        put=lambda r, have: r.puts.append(have),
        **extra,
    )


def test_a_new_resource_gets_every_setting_without_a_read() -> None:
    rec, resource = Reconciler(repair=False), _Resource(False)
    rec.reconcile(resource, [_flag(), _flag()], new=True)
    assert resource.puts == [None, None]
    assert rec.actions == [] and not rec.changed


def test_drift_is_reported_and_only_fixed_when_repairing() -> None:
    rec, resource = Reconciler(repair=False), _Resource(False)
    rec.reconcile(resource, [_flag()])
    assert resource.puts == [] and not rec.changed
    assert rec.drift == ["thing is off"] and rec.actions == ["drift: thing is off (run with --repair)"]

    rec, resource = Reconciler(repair=True), _Resource(False)
    rec.reconcile(resource, [_flag()])
    assert resource.puts == [False] and rec.changed
    assert rec.drift == [] and rec.actions == ["repaired: thing is off"]


def test_a_setting_that_cannot_be_read_back_is_unverifiable_not_drift() -> None:
    rec = Reconciler(repair=True)
    rec.reconcile(_Resource(None), [_flag(unverifiable="{r.name} state")])
    assert rec.unverified == ["thing state"] and rec.drift == [] and not rec.changed
    assert rec.actions == ["unverifiable on emulator: thing state"]
    rec.reconcile(_Resource(True), [_flag()])
    assert rec.actions == ["unverifiable on emulator: thing state"]
