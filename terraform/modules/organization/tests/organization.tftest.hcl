# Issue 19: the Organization of the plan. Plan-only with the real provider offline: the real
# aws_iam_policy_document renders the SCPs and bucket/key policies, no AWS call is made.
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
  values = { account_id = "999999999999", arn = "arn:aws:iam::999999999999:root", user_id = "999999999999" }
}

override_data {
  target = data.aws_partition.current
  values = { partition = "aws", dns_suffix = "amazonaws.com" }
}

override_data {
  target = data.aws_region.current
  values = { region = "ap-northeast-2", name = "ap-northeast-2" }
}

variables {
  accounts = [
    { name = "log-archive", email = "aws+log-archive@example.com", ou = "Security", purpose = "Log Archive" },
    { name = "audit", email = "aws+audit@example.com", ou = "Security", purpose = "Audit" },
    { name = "shared-services", email = "aws+shared@example.com", ou = "Infrastructure", purpose = "CI" },
    { name = "production", email = "aws+prod@example.com", ou = "Production", purpose = "eks-prod" },
    { name = "sandbox", email = "aws+sandbox@example.com", ou = "Sandbox", purpose = "experiments" },
  ]
  security_account_name   = "audit"
  log_archive_bucket_name = "orch-org-log-archive-999999999999"
}

run "ous_accounts_and_trusted_services" {
  command = plan

  assert {
    condition     = aws_organizations_organization.this.feature_set == "ALL" && contains(aws_organizations_organization.this.enabled_policy_types, "SERVICE_CONTROL_POLICY")
    error_message = "The organization needs all features and SCPs enabled."
  }
  assert {
    condition     = toset(keys(aws_organizations_organizational_unit.top)) == toset(["Security", "Infrastructure", "Sandbox", "Workloads"])
    error_message = "Top-level OUs must be the plan's Security, Infrastructure, Sandbox and Workloads."
  }
  assert {
    condition     = toset(keys(aws_organizations_organizational_unit.child)) == toset(["Production", "Staging", "Development"])
    error_message = "Workloads holds Production, Staging and Development."
  }
  assert {
    condition     = alltrue([for a in aws_organizations_account.this : a.role_name == "OrganizationAccountAccessRole"])
    error_message = "Every member account gets the management account's access role."
  }
  assert {
    condition     = aws_organizations_account.this["production"].tags["Purpose"] == "eks-prod" && aws_organizations_account.this["production"].tags["OrganizationalUnit"] == "Production"
    error_message = "Accounts carry their purpose and OU as tags."
  }
  assert {
    condition     = length(setintersection(aws_organizations_organization.this.aws_service_access_principals, ["cloudtrail.amazonaws.com", "guardduty.amazonaws.com", "securityhub.amazonaws.com"])) == 3
    error_message = "The trail and the delegated administrators need trusted access."
  }
}

run "service_control_policies" {
  command = plan

  assert {
    condition     = jsondecode(aws_organizations_policy.this["deny_leave_organization"].content).Statement[0].Action == "organizations:LeaveOrganization"
    error_message = "deny_leave_organization denies organizations:LeaveOrganization."
  }
  assert {
    condition = (
      jsondecode(aws_organizations_policy.this["deny_root_user"].content).Statement[0].Action == "*" &&
      jsondecode(aws_organizations_policy.this["deny_root_user"].content).Statement[0].Condition.StringLike["aws:PrincipalArn"] == "arn:aws:iam::*:root"
    )
    error_message = "deny_root_user denies every action to any account's root user."
  }
  assert {
    condition = alltrue([for action in ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder", "guardduty:DeleteDetector", "guardduty:DisassociateFromAdministratorAccount"] :
    contains(jsondecode(aws_organizations_policy.this["protect_security_services"].content).Statement[0].Action, action)])
    error_message = "protect_security_services must deny stopping/deleting CloudTrail, Config and GuardDuty."
  }
  assert {
    condition = (
      jsondecode(aws_organizations_policy.this["restrict_regions"].content).Statement[0].Effect == "Deny" &&
      jsondecode(aws_organizations_policy.this["restrict_regions"].content).Statement[0].Condition.StringNotEquals["aws:RequestedRegion"] == "ap-northeast-2" &&
      alltrue([for a in ["iam:*", "organizations:*", "sts:*", "route53:*", "cloudfront:*", "support:*", "kms:*"] : contains(jsondecode(aws_organizations_policy.this["restrict_regions"].content).Statement[0].NotAction, a)]) &&
      !contains(jsondecode(aws_organizations_policy.this["restrict_regions"].content).Statement[0].NotAction, "ec2:*")
    )
    error_message = "restrict_regions denies everything outside ap-northeast-2 except the global services."
  }
  assert {
    condition     = jsondecode(aws_organizations_policy.this["restrict_regions"].content).Statement[0].Condition.ArnNotLike["aws:PrincipalArn"] == "arn:aws:iam::*:role/OrganizationAccountAccessRole"
    error_message = "The break-glass access role is exempt from the region restriction."
  }
  assert {
    condition     = jsondecode(aws_organizations_policy.this["protect_ebs_encryption"].content).Statement[0].Action == "ec2:DisableEbsEncryptionByDefault"
    error_message = "protect_ebs_encryption denies ec2:DisableEbsEncryptionByDefault."
  }
  assert {
    condition     = alltrue([for p in aws_organizations_policy.this : p.type == "SERVICE_CONTROL_POLICY" && length(p.content) <= 5120])
    error_message = "SCPs within AWS's 5,120-character limit."
  }
  assert {
    condition = toset(keys(aws_organizations_policy_attachment.this)) == toset([
      "deny_leave_organization/Root", "deny_root_user/Root", "protect_security_services/Root",
      "restrict_regions/Security", "restrict_regions/Infrastructure", "restrict_regions/Sandbox", "restrict_regions/Workloads",
      "protect_ebs_encryption/Security", "protect_ebs_encryption/Infrastructure", "protect_ebs_encryption/Sandbox", "protect_ebs_encryption/Workloads",
    ])
    error_message = "Org-wide guardrails on the root, regional ones on every top-level OU (children inherit)."
  }
}

run "organization_trail_and_log_archive" {
  command = plan

  assert {
    condition = (
      aws_cloudtrail.organization.is_organization_trail && aws_cloudtrail.organization.is_multi_region_trail &&
      aws_cloudtrail.organization.enable_log_file_validation && aws_cloudtrail.organization.include_global_service_events
    )
    error_message = "One organization trail, every region, with log-file validation."
  }
  assert {
    condition     = aws_s3_bucket.log_archive.object_lock_enabled && aws_s3_bucket_object_lock_configuration.log_archive.rule[0].default_retention[0].mode == "GOVERNANCE" && aws_s3_bucket_object_lock_configuration.log_archive.rule[0].default_retention[0].days == 365
    error_message = "The log archive is Object-Locked (GOVERNANCE, 365 days by default)."
  }
  assert {
    condition     = aws_s3_bucket_versioning.log_archive.versioning_configuration[0].status == "Enabled"
    error_message = "The log archive is versioned."
  }
  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.log_archive.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms"
    error_message = "The log archive is encrypted with the trail's KMS key."
  }
  assert {
    condition     = aws_kms_key.logs.enable_key_rotation
    error_message = "The trail key rotates."
  }
  assert {
    condition = length([for s in jsondecode(data.aws_iam_policy_document.log_archive_guards.json).Statement : s
    if s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"]) == 1
    error_message = "The log archive refuses requests without TLS."
  }
  assert {
    condition = length([for s in jsondecode(data.aws_iam_policy_document.log_archive_guards.json).Statement : s
    if s.Effect == "Deny" && s.Action == "s3:PutObject" && try(s.Condition.StringNotEquals["aws:PrincipalServiceName"], "") == "cloudtrail.amazonaws.com"]) == 1
    error_message = "Only CloudTrail may write to the log archive."
  }
  assert {
    condition = alltrue([for s in jsondecode(data.aws_iam_policy_document.log_archive_guards.json).Statement :
    try(s.Condition.StringEquals["aws:SourceArn"], "") == "arn:aws:cloudtrail:ap-northeast-2:999999999999:trail/orch-organization-trail" if try(s.Principal.Service, "") == "cloudtrail.amazonaws.com"])
    error_message = "CloudTrail's grants are scoped to this trail (aws:SourceArn, no confused deputy)."
  }
  assert {
    condition     = aws_cloudwatch_log_group.trail.retention_in_days == 365
    error_message = "The trail's log group keeps a year."
  }
}

run "compliance_mode" {
  command = plan
  variables {
    object_lock_mode = "COMPLIANCE"
    object_lock_days = 730
  }
  assert {
    condition     = aws_s3_bucket_object_lock_configuration.log_archive.rule[0].default_retention[0].mode == "COMPLIANCE" && aws_s3_bucket_object_lock_configuration.log_archive.rule[0].default_retention[0].days == 730
    error_message = "COMPLIANCE mode and its days reach the Object Lock configuration."
  }
}

run "cost_allocation_tags_activated_by_the_payer" {
  command = plan

  assert {
    condition     = toset(keys(aws_ce_cost_allocation_tag.this)) == toset(["Project", "Environment", "Layer", "CostCenter"])
    error_message = "The management account activates the platform's standard tags for the organization."
  }
  assert {
    condition     = alltrue([for t in aws_ce_cost_allocation_tag.this : t.status == "Active" && t.tag_key != ""])
    error_message = "Every listed key is activated."
  }
}

run "no_cost_allocation_tags" {
  command = plan
  variables {
    cost_allocation_tag_keys = []
  }
  assert {
    condition     = length(aws_ce_cost_allocation_tag.this) == 0
    error_message = "An empty list activates nothing."
  }
}
