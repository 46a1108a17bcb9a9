# Issue 19: the outputs name every account and its access role (mock provider: ids known at plan);
# wrong account files and policy placements are refused at plan time.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "999999999999" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { region = "ap-northeast-2" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}", minified_json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_organizations_organization" {
    defaults = {
      id                = "o-exampleorgid"
      master_account_id = "999999999999"
      roots             = [{ id = "r-exmp", arn = "arn:aws:organizations::999999999999:root/o-exampleorgid/r-exmp", name = "Root", policy_types = [] }]
    }
  }
  mock_resource "aws_organizations_organizational_unit" {
    defaults = { id = "ou-exmp-abcdefgh" }
  }
  mock_resource "aws_organizations_policy" {
    defaults = { id = "p-abcdefgh" }
  }
  mock_resource "aws_organizations_account" {
    defaults = { id = "222222222222" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:ap-northeast-2:999999999999:key/00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:ap-northeast-2:999999999999:log-group:/aws/cloudtrail/orch-organization-trail" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::999999999999:role/orch-organization-trail-logs" }
  }
}

variables {
  accounts = [
    { name = "log-archive", email = "aws+log-archive@example.com", ou = "Security", purpose = "Log Archive" },
    { name = "audit", email = "aws+audit@example.com", ou = "Security", purpose = "Audit" },
  ]
  security_account_name   = "audit"
  log_archive_bucket_name = "orch-org-log-archive-999999999999"
}

run "outputs_name_every_account_and_its_access_role" {
  command = plan
  assert {
    condition     = output.account_ids == { "log-archive" = "222222222222", audit = "222222222222" }
    error_message = "account_ids maps every account name to its id."
  }
  assert {
    condition     = output.access_role_arns["audit"] == "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"
    error_message = "access_role_arns gives the management account's path into each member account."
  }
  assert {
    condition     = output.root_id == "r-exmp" && output.security_account_id == "222222222222"
    error_message = "Root id and the delegated administrator's account are reported."
  }
  assert {
    condition     = aws_guardduty_organization_admin_account.this.admin_account_id == "222222222222" && aws_securityhub_organization_admin_account.this.admin_account_id == "222222222222"
    error_message = "GuardDuty and Security Hub are administered from the security account."
  }
  assert {
    condition     = join(",", output.cost_allocation_tag_keys) == "CostCenter,Environment,Layer,Project"
    error_message = "cost_allocation_tag_keys lists the activated keys, sorted."
  }
}

run "unknown_ou" {
  command = plan
  variables {
    accounts = [
      { name = "audit", email = "aws+audit@example.com", ou = "Secrity", purpose = "Audit" },
    ]
  }
  expect_failures = [var.accounts]
}

run "duplicate_email" {
  command = plan
  variables {
    accounts = [
      { name = "audit", email = "aws+audit@example.com", ou = "Security", purpose = "Audit" },
      { name = "audit2", email = "AWS+audit@example.com", ou = "Security", purpose = "Audit" },
    ]
  }
  expect_failures = [var.accounts]
}

run "security_account_must_exist" {
  command = plan
  variables {
    security_account_name = "security"
  }
  expect_failures = [var.security_account_name]
}

run "three_levels_of_ous" {
  command = plan
  variables {
    organizational_units = {
      Security   = {}
      Workloads  = {}
      Production = { parent = "Workloads" }
      Team       = { parent = "Production" }
    }
  }
  expect_failures = [var.organizational_units]
}

run "too_many_scps_on_one_target" {
  command = plan
  variables {
    policy_attachments = {
      deny_leave_organization   = ["Workloads"]
      deny_root_user            = ["Workloads"]
      protect_security_services = ["Workloads"]
      restrict_regions          = ["Workloads"]
      protect_ebs_encryption    = ["Workloads"]
    }
  }
  expect_failures = [var.policy_attachments]
}

run "unknown_target" {
  command = plan
  variables {
    policy_attachments = { restrict_regions = ["Workload"] }
  }
  expect_failures = [var.policy_attachments]
}

run "expiry_shorter_than_lock" {
  command = plan
  variables {
    object_lock_days    = 400
    log_expiration_days = 365
  }
  expect_failures = [var.log_expiration_days]
}

run "bad_region" {
  command = plan
  variables {
    allowed_regions = ["Seoul"]
  }
  expect_failures = [var.allowed_regions]
}

run "bad_cost_allocation_tag_key" {
  command = plan
  variables {
    cost_allocation_tag_keys = ["Project", "Cost<Center>"]
  }
  expect_failures = [var.cost_allocation_tag_keys]
}
