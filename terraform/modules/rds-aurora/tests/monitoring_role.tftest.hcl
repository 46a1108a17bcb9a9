# Issue 14: the enhanced monitoring role comes from the iam-role module (moved from the hand-written
# aws_iam_role.monitoring, not replaced), with the trust policy it had, Sid included. Plan-only: the
# AWS provider is real but never called (the partition is overridden) so that the policy renders.
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
  target = data.aws_partition.current
  values = { partition = "aws", dns_suffix = "amazonaws.com" }
}

# What AWS reports after the apply (the engine_version_floor check reads it).
override_resource {
  target = aws_rds_cluster.this
  values = {
    engine_version_actual = "8.0.mysql_aurora.3.08.0"
    master_user_secret = [{
      secret_arn    = "arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:rds!cluster-0000-AbCdEf"
      kms_key_id    = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000001"
      secret_status = "active"
    }]
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

run "monitoring_role_trust_is_unchanged" {
  command = plan

  assert {
    condition = jsondecode(module.monitoring_role[0].assume_role_policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "RdsEnhancedMonitoring"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { Service = "monitoring.rds.amazonaws.com" }
      }]
    }
    error_message = "Only RDS enhanced monitoring may assume the role (Sid as before)."
  }
  assert {
    condition     = module.monitoring_role[0].name == "orch-eks-prod-aurora-rds-monitoring"
    error_message = "The role keeps its name (a new name would replace it)."
  }
}

run "no_monitoring_no_role" {
  command = plan

  variables {
    monitoring_interval = 0
  }

  assert {
    condition     = length(module.monitoring_role) == 0 && alltrue([for i in aws_rds_cluster_instance.this : i.monitoring_interval == 0])
    error_message = "Without enhanced monitoring there is no role."
  }
}
