# Apply-time checks of the engine version floor (mock provider, no AWS calls). In their own file
# because Terraform's mock provider cannot run them (see tests/foundation/test_module_tftests.py).
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_rds_cluster" {
    defaults = {
      master_user_secret = [{
        secret_arn    = "arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:rds!cluster-0000-AbCdEf"
        kms_key_id    = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000001"
        secret_status = "active"
      }]
      # As after an automatic minor upgrade by AWS: newer than engine_version.
      engine_version_actual = "8.0.mysql_aurora.3.09.0"
    }
  }
}

variables {
  name                        = "orch-eks-prod-aurora"
  azs                         = ["ap-northeast-2a", "ap-northeast-2c"]
  db_subnet_group_name        = "orch-eks-prod-database"
  vpc_security_group_ids      = ["sg-0000000000000000a"]
  kms_key_arn                 = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000001"
  cloudwatch_logs_kms_key_arn = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000002"
}

run "engine_version_is_a_floor_aws_may_raise" {
  command = apply

  assert {
    condition     = output.engine_version_actual == "8.0.mysql_aurora.3.09.0" && aws_rds_cluster.this.engine_version == var.engine_version
    error_message = "engine_version_actual must show the running (upgraded) version."
  }
  assert {
    condition     = alltrue([for i in aws_rds_cluster_instance.this : i.auto_minor_version_upgrade])
    error_message = "The cluster ignores engine_version changes because AWS upgrades minors: auto minor upgrades must stay on."
  }
}

run "engine_version_above_the_running_one_warns" {
  command = apply

  variables {
    engine_version = "8.0.mysql_aurora.3.10.0"
  }

  expect_failures = [check.engine_version_floor]
}
