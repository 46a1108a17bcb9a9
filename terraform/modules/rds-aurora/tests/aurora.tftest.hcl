# Plan-only checks of placement, TLS and the subnet group choice (no AWS calls).
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

run "production_defaults" {
  command = plan

  assert {
    condition     = { for k, i in aws_rds_cluster_instance.this : k => "${i.instance_class}@${i.availability_zone}" } == { "01" = "db.r6g.large@ap-northeast-2a", "02" = "db.r6g.large@ap-northeast-2c" }
    error_message = "Writer and reader must be db.r6g.large in AZs a and c."
  }
  assert {
    condition     = anytrue([for p in aws_rds_cluster_parameter_group.this.parameter : p.name == "require_secure_transport" && p.value == "ON"])
    error_message = "The cluster parameter group must require TLS."
  }
  assert {
    condition     = length(aws_db_subnet_group.this) == 0 && aws_rds_cluster.this.db_subnet_group_name == "orch-eks-prod-database"
    error_message = "An existing DB subnet group must be used as given."
  }
  assert {
    condition     = aws_rds_cluster.this.manage_master_user_password && aws_rds_cluster.this.master_user_secret_kms_key_id == var.kms_key_arn
    error_message = "The master password must be RDS-managed and encrypted with the RDS key."
  }
  assert {
    condition     = aws_rds_cluster.this.deletion_protection && !aws_rds_cluster.this.skip_final_snapshot && aws_rds_cluster.this.backup_retention_period == 7
    error_message = "Deletion protection, a final snapshot and 7-day backups are required."
  }
  assert {
    condition     = toset(keys(aws_cloudwatch_log_group.this)) == toset(["audit", "error", "general", "slowquery"])
    error_message = "Every exported log gets an encrypted log group."
  }
}

run "own_subnet_group" {
  command = plan

  variables {
    db_subnet_group_name = null
    subnet_ids           = ["subnet-0000000000000000a", "subnet-0000000000000000c"]
  }

  assert {
    condition     = length(aws_db_subnet_group.this) == 1
    error_message = "A subnet group must be created from subnet_ids when none is given."
  }
}

run "no_subnets_at_all" {
  command = plan

  variables {
    db_subnet_group_name = null
  }

  expect_failures = [aws_db_subnet_group.this]
}
