# Issue 12, item 4: on a new account the Auto Scaling service-linked role does not exist, and KMS
# rejects an EBS key policy that names it (MalformedPolicyDocumentException), which stops
# 00-foundation and with it every layer. The module creates the role and the key policy takes the
# principal from that resource, so the role is created first. Plan-only, no AWS calls.
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

variables {
  environment = "eks-prod"
  region      = "ap-northeast-2"
}

run "role_created_before_the_ebs_key_policy" {
  command = plan

  # A value only the resource can produce (the module builds "AWSServiceRoleForAutoScaling"
  # without a suffix), so the assertions below prove where the policy's principal comes from.
  override_resource {
    target = aws_iam_service_linked_role.autoscaling
    values = { arn = "arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_from_resource" }
  }

  assert {
    condition     = length(aws_iam_service_linked_role.autoscaling) == 1 && aws_iam_service_linked_role.autoscaling[0].aws_service_name == "autoscaling.amazonaws.com" && aws_iam_service_linked_role.autoscaling[0].custom_suffix == null
    error_message = "A new account has no Auto Scaling service-linked role: the module must create it (autoscaling.amazonaws.com, no custom suffix)."
  }
  assert {
    condition = alltrue([
      for s in jsondecode(data.aws_iam_policy_document.key["ebs"].json).Statement :
      s.Principal.AWS == aws_iam_service_linked_role.autoscaling[0].arn
      if startswith(s.Sid, "AutoScalingServiceLinkedRole")
    ]) && length([for s in jsondecode(data.aws_iam_policy_document.key["ebs"].json).Statement : s if startswith(s.Sid, "AutoScalingServiceLinkedRole")]) == 2
    error_message = "The EBS key policy must take the Auto Scaling principal from aws_iam_service_linked_role.autoscaling (so the role exists before KMS sees the policy)."
  }
  assert {
    condition     = strcontains(aws_kms_key.this["ebs"].policy, "AWSServiceRoleForAutoScaling_from_resource")
    error_message = "The EBS key's policy must be the one that names the created role."
  }
}

run "existing_role_is_referenced_not_created" {
  command = plan

  variables {
    create_autoscaling_service_linked_role = false
  }

  assert {
    condition     = length(aws_iam_service_linked_role.autoscaling) == 0
    error_message = "With create_autoscaling_service_linked_role = false the existing role must not be created again (the name would be taken)."
  }
  assert {
    condition     = strcontains(data.aws_iam_policy_document.key["ebs"].json, "arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
    error_message = "An existing role is named in the EBS key policy by its ARN."
  }
}

run "custom_suffix" {
  command = plan

  variables {
    autoscaling_service_linked_role_name = "AWSServiceRoleForAutoScaling_eks"
  }

  assert {
    condition     = aws_iam_service_linked_role.autoscaling[0].custom_suffix == "eks"
    error_message = "A suffixed role name creates the role with that custom suffix."
  }
}

run "no_ebs_key_no_role" {
  command = plan

  variables {
    purposes = ["logs"]
  }

  assert {
    condition     = length(aws_iam_service_linked_role.autoscaling) == 0
    error_message = "Without an EBS key the role is not needed."
  }
}
