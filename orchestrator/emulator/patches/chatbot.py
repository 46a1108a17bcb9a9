"""AWS Chatbot: Slack channel configurations (the Slack path of the alarm topic).

Why: moto 5.2 has no Chatbot service at all; the provider's aws_chatbot_slack_channel_configuration
(90-monitoring's Slack subscriber of the alarm topic) got "Unable to find appropriate backend" on
every call. Here a small moto service is registered under the name `chatbot` (botocore's signing
name), so the server dispatches to it like to any moto service and moto's reset clears it:

    CreateSlackChannelConfiguration, DescribeSlackChannelConfigurations,
    UpdateSlackChannelConfiguration, DeleteSlackChannelConfiguration,
    ListTagsForResource, TagResource, UntagResource

Shapes follow botocore's chatbot model (rest-json, every operation a POST to its own path, e.g.
`/create-slack-channel-configuration`). Chatbot configurations are global: the provider sends
them to us-west-2 whatever its region, so they are kept per account (not per region). ARNs are
AWS's: `arn:aws:chatbot::<account>:chat-configuration/slack-channel/<name>`. Errors are the
model's: ConflictException for a name in use, ResourceNotFoundException (404) for an unknown ARN,
InvalidParameterException for values AWS refuses (team/channel ids, logging level, role ARN).

Known difference: AWS refuses a SlackTeamId whose workspace was not authorised in the Chatbot
console first (a one-time OAuth step no API can do); the emulator accepts any well-formed id and
answers SlackTeamName/SlackChannelName from the ids.
"""

from __future__ import annotations

import json
import re
import sys
import types
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from moto.core.base_backend import BaseBackend
    from moto.core.responses import BaseResponse

SERVICE = "chatbot"
LOGGING_LEVELS = ("ERROR", "INFO", "NONE")
_TEAM_ID = re.compile(r"^[0-9A-Z]{1,255}$")
_CHANNEL_ID = re.compile(r"^[A-Za-z0-9]+$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
_NAME = re.compile(r"^[A-Za-z0-9-_]+$")

PATHS = (
    "create-slack-channel-configuration",
    "describe-slack-channel-configurations",
    "update-slack-channel-configuration",
    "delete-slack-channel-configuration",
    "list-tags-for-resource",
    "tag-resource",
    "untag-resource",
)


def configuration_arn(account_id: str, name: str, partition: str = "aws") -> str:
    return f"arn:{partition}:chatbot::{account_id}:chat-configuration/slack-channel/{name}"


def _error(code: str, message: str, status: int = 400) -> Any:
    from moto.core.exceptions import JsonRESTError

    error = JsonRESTError(code, message)
    error.code = status
    return error


def _check(values: dict[str, Any]) -> None:
    if "SlackTeamId" in values and not _TEAM_ID.match(values["SlackTeamId"] or ""):
        raise _error("InvalidParameterException", "SlackTeamId must be a Slack workspace id (e.g. T012ABCDEFG)")
    if "SlackChannelId" in values and not _CHANNEL_ID.match(values["SlackChannelId"] or ""):
        raise _error("InvalidParameterException", "SlackChannelId must be a Slack channel id (e.g. C012ABCDEFG)")
    if values.get("IamRoleArn") is not None and not _ROLE_ARN.match(values["IamRoleArn"]):
        raise _error("InvalidParameterException", "IamRoleArn must be an IAM role ARN")
    if values.get("LoggingLevel") is not None and values["LoggingLevel"] not in LOGGING_LEVELS:
        raise _error("InvalidParameterException", f"LoggingLevel must be one of {', '.join(LOGGING_LEVELS)}")


def _new_configuration(account_id: str, params: dict[str, Any]) -> dict[str, Any]:
    """A Slack channel configuration from CreateSlackChannelConfiguration's parameters, checked as AWS does."""
    for required in ("SlackTeamId", "SlackChannelId", "IamRoleArn", "ConfigurationName"):
        if not params.get(required):
            raise _error("InvalidParameterException", f"{required} is required")
    if not _NAME.match(params["ConfigurationName"]) or len(params["ConfigurationName"]) > 128:
        raise _error("InvalidParameterException", "ConfigurationName: 1-128 letters, digits, - or _")
    _check(params)
    return {
        "SlackTeamName": f"workspace-{params['SlackTeamId']}",
        "SlackTeamId": params["SlackTeamId"],
        "SlackChannelId": params["SlackChannelId"],
        "SlackChannelName": params.get("SlackChannelName") or f"channel-{params['SlackChannelId']}",
        "ChatConfigurationArn": configuration_arn(account_id, params["ConfigurationName"]),
        "IamRoleArn": params["IamRoleArn"],
        "SnsTopicArns": list(params.get("SnsTopicArns") or []),
        "ConfigurationName": params["ConfigurationName"],
        "LoggingLevel": params.get("LoggingLevel") or "NONE",
        "GuardrailPolicyArns": list(
            params.get("GuardrailPolicyArns") or ["arn:aws:iam::aws:policy/AdministratorAccess"]
        ),
        "UserAuthorizationRequired": bool(params.get("UserAuthorizationRequired", False)),
        "State": "ENABLED",
    }


def _make_backend() -> type[BaseBackend]:
    from moto.core.base_backend import BaseBackend

    class ChatbotBackend(BaseBackend):
        """Slack channel configurations and their tags, per account."""

        def __init__(self, region_name: str, account_id: str) -> None:
            super().__init__(region_name, account_id)
            self.configurations: dict[str, dict[str, Any]] = {}
            self.tags: dict[str, dict[str, str]] = {}

        def create(self, params: dict[str, Any]) -> dict[str, Any]:
            configuration = _new_configuration(self.account_id, params)
            arn = configuration["ChatConfigurationArn"]
            if arn in self.configurations:
                raise _error("ConflictException", f"Configuration {params['ConfigurationName']} already exists")
            self.configurations[arn] = configuration
            self.tags[arn] = {t["TagKey"]: t["TagValue"] for t in params.get("Tags") or []}
            return self.describe_one(arn)

        def get(self, arn: str) -> dict[str, Any]:
            found = self.configurations.get(arn)
            if found is None:
                raise _error("ResourceNotFoundException", f"Configuration {arn} not found", 404)
            return found

        def describe_one(self, arn: str) -> dict[str, Any]:
            tags = [{"TagKey": k, "TagValue": v} for k, v in self.tags.get(arn, {}).items()]
            return {**self.get(arn), "Tags": tags}

        def update(self, params: dict[str, Any]) -> dict[str, Any]:
            arn = params.get("ChatConfigurationArn", "")
            configuration = self.get(arn)
            if not params.get("SlackChannelId"):
                raise _error("InvalidParameterException", "SlackChannelId is required")
            _check(params)
            for key in (
                "SlackChannelId",
                "SlackChannelName",
                "SnsTopicArns",
                "IamRoleArn",
                "LoggingLevel",
                "GuardrailPolicyArns",
                "UserAuthorizationRequired",
            ):
                if params.get(key) is not None:
                    configuration[key] = params[key]
            return self.describe_one(arn)

        def delete(self, arn: str) -> None:
            self.get(arn)
            del self.configurations[arn]
            self.tags.pop(arn, None)

    # moto finds a backend's url module next to its models module (moto.chatbot.urls).
    ChatbotBackend.__module__ = "moto.chatbot.models"
    return ChatbotBackend


def _make_response(backends: Any) -> type[BaseResponse]:
    from moto.core.responses import BaseResponse

    class ChatbotResponse(BaseResponse):
        def __init__(self) -> None:
            super().__init__(service_name=SERVICE)

        @property
        def backend(self) -> Any:
            return backends[self.current_account]["aws"]

        def _params(self) -> dict[str, Any]:
            return cast("dict[str, Any]", json.loads(self.body or "{}"))

        def create_slack_channel_configuration(self) -> str:
            return json.dumps({"ChannelConfiguration": self.backend.create(self._params())})

        def describe_slack_channel_configurations(self) -> str:
            params = self._params()
            arn = params.get("ChatConfigurationArn")
            if arn:
                found = [self.backend.describe_one(arn)] if arn in self.backend.configurations else []
            else:
                found = [self.backend.describe_one(a) for a in sorted(self.backend.configurations)]
            return json.dumps({"SlackChannelConfigurations": found})

        def update_slack_channel_configuration(self) -> str:
            return json.dumps({"ChannelConfiguration": self.backend.update(self._params())})

        def delete_slack_channel_configuration(self) -> str:
            self.backend.delete(self._params().get("ChatConfigurationArn", ""))
            return "{}"

        def list_tags_for_resource(self) -> str:
            arn = self._params().get("ResourceARN", "")
            self.backend.get(arn)
            tags = self.backend.tags.get(arn, {})
            return json.dumps({"Tags": [{"TagKey": k, "TagValue": v} for k, v in tags.items()]})

        def tag_resource(self) -> str:
            params = self._params()
            arn = params.get("ResourceARN", "")
            self.backend.get(arn)
            self.backend.tags.setdefault(arn, {}).update({t["TagKey"]: t["TagValue"] for t in params.get("Tags", [])})
            return "{}"

        def untag_resource(self) -> str:
            params = self._params()
            arn = params.get("ResourceARN", "")
            self.backend.get(arn)
            for key in params.get("TagKeys", []):
                self.backend.tags.get(arn, {}).pop(key, None)
            return "{}"

    return ChatbotResponse


def install() -> None:
    """Register `moto.chatbot` (backends, url bases and paths) as if moto shipped it."""
    import re as _re

    from moto import backend_index
    from moto.core.base_backend import BackendDict

    backend_cls = _make_backend()
    backends = BackendDict(backend_cls, SERVICE, use_boto3_regions=False, additional_regions=["aws"])
    response_cls = _make_response(backends)
    url_bases = [r"https?://chatbot\.(.+)\.amazonaws\.com"]
    url_paths = {"{0}/" + path + "$": response_cls.dispatch for path in PATHS}

    module = types.ModuleType("moto.chatbot")
    module.__doc__ = __doc__
    module.chatbot_backends = backends  # type: ignore[attr-defined]  # a module built at run time
    urls = types.ModuleType("moto.chatbot.urls")
    urls.url_bases = url_bases  # type: ignore[attr-defined]  # a module built at run time
    urls.url_paths = url_paths  # type: ignore[attr-defined]  # a module built at run time
    module.urls = urls  # type: ignore[attr-defined]  # a module built at run time
    sys.modules["moto.chatbot"] = module
    sys.modules["moto.chatbot.urls"] = urls
    if not any(name == SERVICE for name, _ in backend_index.backend_url_patterns):
        backend_index.backend_url_patterns.append((SERVICE, _re.compile(r"https?://chatbot\.(.+)\.amazonaws\.com")))
