# Plan-only checks of the CIDR table and the route layout (no AWS calls). The mock provider
# gives every instance the same fake id, so which NAT/route table a route points at is
# checked by tests/hcl/test_networking_layers.py against the emulator.
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

run "cidr_table" {
  command = plan

  assert {
    condition     = aws_vpc.this.cidr_block == "10.0.0.0/16"
    error_message = "VPC CIDR must be 10.0.0.0/16."
  }
  assert {
    condition = { for k, s in aws_subnet.this : k => "${s.cidr_block}@${s.availability_zone}" } == {
      "public-a"   = "10.0.0.0/24@ap-northeast-2a"
      "public-c"   = "10.0.1.0/24@ap-northeast-2c"
      "private-a"  = "10.0.10.0/24@ap-northeast-2a"
      "private-c"  = "10.0.11.0/24@ap-northeast-2c"
      "database-a" = "10.0.20.0/24@ap-northeast-2a"
      "database-c" = "10.0.21.0/24@ap-northeast-2c"
      "pod-a"      = "10.0.100.0/22@ap-northeast-2a"
      "pod-c"      = "10.0.104.0/22@ap-northeast-2c"
    }
    error_message = "Subnets must follow the plan's CIDR table in AZs a and c."
  }
  assert {
    condition     = alltrue([for s in aws_subnet.this : !s.map_public_ip_on_launch])
    error_message = "No subnet may hand out public IPs."
  }
  assert {
    condition = (
      aws_subnet.this["public-a"].tags["kubernetes.io/role/elb"] == "1" &&
      aws_subnet.this["private-c"].tags["kubernetes.io/role/internal-elb"] == "1" &&
      aws_subnet.this["pod-a"].tags["kubernetes.io/cluster/orch-eks-prod"] == "shared" &&
      !contains(keys(aws_subnet.this["database-a"].tags), "kubernetes.io/cluster/orch-eks-prod")
    )
    error_message = "Subnet tags for the load balancer controller and the cluster are wrong."
  }
}

run "route_layout" {
  command = plan

  assert {
    condition     = length(aws_nat_gateway.this) == 2 && length(aws_eip.nat) == 2
    error_message = "One NAT gateway (with its EIP) per AZ."
  }
  assert {
    condition     = length(aws_route_table.this) == 8
    error_message = "One route table per tier and AZ."
  }
  assert {
    condition     = join(",", sort(keys(aws_route.public_internet))) == "ap-northeast-2a,ap-northeast-2c" && alltrue([for r in aws_route.public_internet : r.destination_cidr_block == "0.0.0.0/0"])
    error_message = "Each public route table routes 0.0.0.0/0 to the IGW."
  }
  assert {
    condition = (
      join(",", sort(keys(aws_route.nat))) == "pod-a,pod-c,private-a,private-c" &&
      alltrue([for r in values(aws_route.nat) : r.destination_cidr_block == "0.0.0.0/0"])
    )
    error_message = "Private and pod route tables (and only those) get a default route to a NAT gateway."
  }
  assert {
    condition     = length([for k in keys(aws_route.nat) : k if startswith(k, "database")]) == 0 && length(aws_route.public_internet) == 2
    error_message = "Database route tables must have no internet route."
  }
  assert {
    condition = (
      join(",", sort(keys(aws_vpc_endpoint.interface))) == "autoscaling,ec2,ec2messages,ecr.api,ecr.dkr,eks,eks-auth,elasticfilesystem,elasticloadbalancing,kms,logs,monitoring,secretsmanager,ssm,ssmmessages,sts" &&
      alltrue([for e in values(aws_vpc_endpoint.interface) : e.private_dns_enabled && e.vpc_endpoint_type == "Interface"]) &&
      aws_vpc_endpoint.s3.vpc_endpoint_type == "Gateway"
    )
    error_message = "S3 gateway endpoint and the sixteen private-DNS interface endpoints."
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.endpoints_https.cidr_ipv4 == "10.0.0.0/16" && aws_vpc_security_group_ingress_rule.endpoints_https.from_port == 443
    error_message = "Endpoint security group allows 443 from the VPC CIDR only."
  }
}

run "rejects_subnet_outside_vpc" {
  command = plan
  variables {
    pod_subnet_cidrs = ["10.1.100.0/22", "10.0.104.0/22"]
  }
  expect_failures = [aws_vpc.this]
}

run "rejects_non_network_cidr" {
  command = plan
  variables {
    public_subnet_cidrs = ["10.0.0.5/24", "10.0.1.0/24"]
  }
  expect_failures = [var.public_subnet_cidrs]
}

# Issue 12, item 11: the flow-log delivery role lacked logs:DescribeLogGroups, one of the
# permissions the AWS documentation lists for publishing flow logs to CloudWatch Logs
# (CreateLogGroup, CreateLogStream, PutLogEvents, DescribeLogGroups, DescribeLogStreams).
# CreateLogGroup stays out on purpose: the module creates the encrypted group itself.
# Plan-only: the statements are read from the policy document's arguments.
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

# dev: one NAT gateway in the first AZ; every private and pod route table uses it.
run "single_nat_gateway" {
  command = plan

  variables {
    single_nat_gateway = true
  }

  assert {
    condition     = keys(aws_nat_gateway.this) == ["ap-northeast-2a"] && keys(aws_eip.nat) == ["ap-northeast-2a"]
    error_message = "single_nat_gateway: exactly one NAT gateway and EIP, in the first AZ."
  }
  assert {
    condition     = join(",", sort(keys(aws_route.nat))) == "pod-a,pod-c,private-a,private-c"
    error_message = "single_nat_gateway: every private and pod route table still gets a default route."
  }
}
