# Local mode (`orch --local`): how the S3 backend and the AWS provider reach the embedded emulator.
# Read once by environments/LIVE/settings.hcl and bootstrap/settings.hcl. orch sets these variables
# only for local runs; with ORCH_LOCAL_ENDPOINT unset (every real AWS run) `enabled` is false and
# nothing here reaches the generated files.
locals {
  endpoint = get_env("ORCH_LOCAL_ENDPOINT", "")
  enabled  = local.endpoint != ""

  # The emulator's account stands in for the environment's (orch's account guard checks it).
  account_id = get_env("ORCH_LOCAL_ACCOUNT_ID", "123456789012")

  # S3 Control prefixes the endpoint's host with the account id ("123456789012.127.0.0.1"), which
  # no resolver knows; the emulator's CONNECT proxy carries those calls (loopback hosts bypass it).
  proxy = get_env("ORCH_LOCAL_PROXY", "")

  # Services the stack calls; each is pointed at the emulator.
  services = [
    "acm", "amp", "autoscaling", "backup", "budgets", "ce", "chatbot", "cloudtrail", "cloudwatch", "dynamodb",
    "ec2", "efs", "eks", "elasticache", "elb", "elbv2", "events", "guardduty", "iam", "kms", "logs",
    "organizations", "rds", "s3", "s3control", "secretsmanager", "securityhub", "sns", "sqs", "ssm", "sts",
  ]

  # Merged into remote_state.config when enabled.
  backend_config = {
    endpoints = {
      s3       = local.endpoint
      sts      = local.endpoint
      dynamodb = local.endpoint
      iam      = local.endpoint
    }
    use_path_style              = true
    skip_credentials_validation = true
    skip_metadata_api_check     = true
    skip_region_validation      = true
  }

  # Lines added to the generated `provider "aws"` block when enabled.
  provider_settings = join("\n", concat(
    [
      "s3_use_path_style           = true",
      "skip_credentials_validation = true",
      "skip_metadata_api_check     = true",
      "skip_region_validation      = true",
    ],
    local.proxy == "" ? [] : ["https_proxy                 = \"${local.proxy}\""],
    ["endpoints {"],
    [for svc in local.services : "  ${svc} = \"${local.endpoint}\""],
    ["}"],
  ))
}
