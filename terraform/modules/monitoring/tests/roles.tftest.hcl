# Issue 14: the module's roles come from the iam-role module (moved from hand-written aws_iam_role
# resources, not replaced). Their trust policies must be the ones the hand-written roles had, Sids
# included, or every deployed environment would see an in-place change. Plan-only: the AWS provider
# is real but never called (account and partition are overridden) so that the policies render.
provider "aws" {
  region                      = "ap-northeast-2"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "111111111111", arn = "arn:aws:iam::111111111111:root", user_id = "111111111111" }
}

override_data {
  target = data.aws_partition.current
  values = { partition = "aws", dns_suffix = "amazonaws.com" }
}

mock_provider "helm" {}
mock_provider "kubernetes" {}

variables {
  name_prefix                        = "orch-eks-prod"
  sns_kms_key_arn                    = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000001"
  cloudwatch_logs_kms_key_arn        = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000002"
  cluster_name                       = "orch-eks-prod"
  oidc_provider_arn                  = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/00000000000000000000000000000000"
  oidc_issuer_url                    = "https://oidc.eks.ap-northeast-2.amazonaws.com/id/00000000000000000000000000000000"
  alarm_email_addresses              = ["platform-oncall@example.com"]
  cluster_endpoint                   = "https://0000000000000000000000000000000A.gr7.ap-northeast-2.eks.amazonaws.com"
  cluster_certificate_authority_data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1PQ0sKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="
  slack_channel                      = { team_id = "T0123ABCDEF", channel_id = "C0123ABCDEF" }
}

run "role_trusts_are_unchanged" {
  command = plan

  assert {
    condition = { for k, m in module.irsa : k => jsondecode(m.assume_role_policy) } == {
      for k, v in {
        cloudwatch-agent     = { sid = "CloudWatchAgentIrsa", subject = "amazon-cloudwatch:cloudwatch-agent" }
        prometheus-collector = { sid = "Irsa", subject = "monitoring:prometheus-server" }
        grafana              = { sid = "Irsa", subject = "monitoring:grafana" }
        } : k => {
        Version = "2012-10-17"
        Statement = [{
          Sid       = v.sid
          Effect    = "Allow"
          Action    = "sts:AssumeRoleWithWebIdentity"
          Principal = { Federated = var.oidc_provider_arn }
          Condition = {
            StringEquals = {
              "oidc.eks.ap-northeast-2.amazonaws.com/id/00000000000000000000000000000000:aud" = "sts.amazonaws.com"
              "oidc.eks.ap-northeast-2.amazonaws.com/id/00000000000000000000000000000000:sub" = "system:serviceaccount:${v.subject}"
            }
          }
        }]
      }
    }
    error_message = "Each IRSA role is trusted by its one service account only, with the Sid it had."
  }
  assert {
    condition = jsondecode(module.chatbot_role[0].assume_role_policy) == {
      Version   = "2012-10-17"
      Statement = [{ Sid = "ChatbotAssumes", Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "chatbot.amazonaws.com" } }]
    }
    error_message = "Only AWS Chatbot may assume the channel role (Sid as before)."
  }
  assert {
    condition = (
      { for k, m in module.irsa : k => m.name } == { cloudwatch-agent = "orch-eks-prod-cloudwatch-agent", prometheus-collector = "orch-eks-prod-prometheus-collector", grafana = "orch-eks-prod-grafana" } &&
      module.chatbot_role[0].name == "orch-eks-prod-chatbot"
    )
    error_message = "The roles keep their names (a new name would replace them)."
  }
}

run "no_slack_no_chatbot_role" {
  command = plan

  variables {
    slack_channel = null
  }

  assert {
    condition     = length(module.chatbot_role) == 0 && length(module.irsa) == 3
    error_message = "The Chatbot role exists only with a Slack channel; the IRSA roles always."
  }
}

# The trust is derived from oidc_provider_arn; an issuer URL of another provider is reported.
run "issuer_of_another_provider_is_reported" {
  command = plan

  variables {
    oidc_issuer_url = "https://oidc.eks.ap-northeast-2.amazonaws.com/id/11111111111111111111111111111111"
  }

  expect_failures = [check.oidc_issuer_matches_the_provider]
}
