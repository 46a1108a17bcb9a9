# Plan-only checks of the alarm subscriber rule (no AWS calls).
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:ap-northeast-2:111111111111:orch-eks-prod-alarms" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/orch-eks-prod-cloudwatch-agent" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  name_prefix                 = "orch-eks-prod"
  sns_kms_key_arn             = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000001"
  cloudwatch_logs_kms_key_arn = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000002"
  cluster_name                = "orch-eks-prod"
  oidc_provider_arn           = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/00000000000000000000000000000000"
  oidc_issuer_url             = "https://oidc.eks.ap-northeast-2.amazonaws.com/id/00000000000000000000000000000000"
}

# No tier given: the module assumes production and refuses an alarm topic nobody reads.
run "production_without_subscriber_is_refused" {
  command = plan

  variables {
    alarm_email_addresses = []
  }

  expect_failures = [var.alarm_email_addresses]
}

run "production_with_subscriber" {
  command = plan

  variables {
    alarm_email_addresses = ["platform-oncall@example.com"]
  }

  assert {
    condition     = keys(aws_sns_topic_subscription.email) == ["platform-oncall@example.com"] && aws_sns_topic_subscription.email["platform-oncall@example.com"].protocol == "email"
    error_message = "The on-call address must be subscribed to the alarm topic by e-mail."
  }
}

run "staging_may_go_without_subscriber" {
  command = plan

  variables {
    tier                  = "staging"
    alarm_email_addresses = []
  }

  assert {
    condition     = length(aws_sns_topic_subscription.email) == 0
    error_message = "A non-production tier needs no subscriber."
  }
}
