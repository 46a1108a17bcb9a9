"""CloudWatch Logs: subscription filters that deliver to a CloudWatch Logs destination.

Why: moto 5.2's PutSubscriptionFilter takes a Lambda function, a Kinesis or Firehose stream, or a
log group, and reads any `arn:aws:logs:...` destination as a log group name: a cross-account
destination (`arn:aws:logs:<region>:<log-archive account>:destination:<name>`), the standard way
to ship an account's logs to the log-archive account, fails with ResourceNotFoundException. Here
such an ARN is accepted when the destination exists in the account and region it names (moto
keeps destinations per account: PutDestination with that account's credentials), and refused as
AWS refuses it otherwise (InvalidParameterException). A destination's access policy is not
evaluated (moto does not enforce policies).
"""

from __future__ import annotations

from typing import Any


def install() -> None:
    from moto.logs.exceptions import InvalidParameterException, ResourceNotFoundException
    from moto.logs.models import LogsBackend, logs_backends
    from moto.utilities.arns import parse_arn

    original = LogsBackend.put_subscription_filter

    def put_subscription_filter(
        self: Any, log_group_name: str, filter_name: str, filter_pattern: str, destination_arn: str, role_arn: str
    ) -> None:
        try:
            parsed = parse_arn(destination_arn)
        except ValueError:
            parsed = None
        if parsed is None or parsed.service != "logs" or parsed.resource_type != "destination":
            return original(self, log_group_name, filter_name, filter_pattern, destination_arn, role_arn)
        log_group = self.groups.get(log_group_name)
        if not log_group:
            raise ResourceNotFoundException()
        owner = logs_backends[parsed.account][parsed.region]
        if destination_arn not in owner.destinations:
            raise InvalidParameterException(f"Destination {destination_arn} does not exist or is not accessible.")
        log_group.put_subscription_filter(filter_name, filter_pattern, destination_arn, role_arn)

    LogsBackend.put_subscription_filter = put_subscription_filter  # type: ignore[method-assign]  # replaces moto's method
