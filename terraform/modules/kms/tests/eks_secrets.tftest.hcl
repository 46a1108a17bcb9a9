# Issue 12, item 11: the EKS control plane encrypts Kubernetes secrets with the cluster role's own
# session (API server start-up, KEK rotation, health checks), not on behalf of a caller through the
# EKS API, so a key usable only with kms:ViaService = eks.<region>.amazonaws.com can fail those
# calls. The eks key names the cluster role (by aws:PrincipalArn: it does not exist yet when the key
# is created) for exactly the actions its IAM policy has. Plan-only.
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

# The service-linked role's ARN is known only after it is created; a plan-time value stands in.
override_resource {
  target = aws_iam_service_linked_role.autoscaling
  values = { arn = "arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" }
}

variables {
  environment = "eks-prod"
  region      = "ap-northeast-2"
}

run "cluster_role_uses_the_eks_key_directly" {
  command = plan

  assert {
    condition = length([
      for s in jsondecode(data.aws_iam_policy_document.key["eks"].json).Statement : s
      if !can(s.Condition.StringEquals["kms:ViaService"]) && contains(flatten([s.Action]), "kms:Encrypt") &&
      s.Principal.AWS == "arn:aws:iam::111111111111:root" &&
      try(s.Condition.ArnEquals["aws:PrincipalArn"], "") == "arn:aws:iam::111111111111:role/orch-eks-prod-cluster" &&
      toset(flatten([s.Action])) == toset(["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ListGrants"])
    ]) == 1
    error_message = "The eks key must let the cluster role (orch-eks-prod-cluster, by aws:PrincipalArn) Encrypt/Decrypt/DescribeKey/ListGrants without kms:ViaService."
  }
  assert {
    condition = alltrue([
      for p, d in data.aws_iam_policy_document.key : !strcontains(d.json, "orch-eks-prod-cluster") if p != "eks"
    ])
    error_message = "Only the eks key names the cluster role."
  }
}

run "cluster_role_name_override" {
  command = plan

  variables {
    eks_cluster_role_name = "custom-eks-cluster"
  }

  assert {
    condition     = strcontains(data.aws_iam_policy_document.key["eks"].json, "arn:aws:iam::111111111111:role/custom-eks-cluster")
    error_message = "eks_cluster_role_name overrides the derived role name."
  }
}
