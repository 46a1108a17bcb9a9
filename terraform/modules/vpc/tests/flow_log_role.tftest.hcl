# Issue 12, item 11: the flow-log delivery role lacked logs:DescribeLogGroups, one of the
# permissions the AWS documentation lists for publishing flow logs to CloudWatch Logs
# (CreateLogGroup, CreateLogStream, PutLogEvents, DescribeLogGroups, DescribeLogStreams).
# CreateLogGroup stays out on purpose: the module creates the encrypted group itself.
# Plan-only: the statements are read from the policy document's arguments.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:ap-northeast-2:111111111111:log-group:/aws/vpc/orch-eks-prod/flow-logs" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/orch-eks-prod-vpc-flow-logs" }
  }
}

variables {
  environment          = "eks-prod"
  region               = "ap-northeast-2"
  azs                  = ["ap-northeast-2a", "ap-northeast-2c"]
  flow_log_kms_key_arn = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000000"
}

run "documented_flow_log_permissions" {
  command = plan

  assert {
    condition = length(setsubtract(
      ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
      flatten([for s in data.aws_iam_policy_document.flow_logs_write.statement : tolist(s.actions)])
    )) == 0
    error_message = "The flow-log role needs CreateLogStream, PutLogEvents, DescribeLogGroups and DescribeLogStreams (AWS flow logs to CloudWatch Logs)."
  }
  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.flow_logs_write.statement :
      toset(s.resources) == toset(["arn:aws:logs:ap-northeast-2:111111111111:log-group:*"])
      if contains(tolist(s.actions), "logs:DescribeLogGroups")
    ])
    error_message = "DescribeLogGroups is limited to log groups of this account and region."
  }
  assert {
    condition     = !contains(flatten([for s in data.aws_iam_policy_document.flow_logs_write.statement : tolist(s.actions)]), "logs:CreateLogGroup")
    error_message = "The role must not create log groups: the module owns the encrypted group."
  }
}
