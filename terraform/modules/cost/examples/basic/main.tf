terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0, < 7.0"
    }
  }
}

provider "aws" {
  region = "ap-northeast-2"
}

module "cost" {
  source = "../.."

  name_prefix        = "example"
  alarm_topic_arn    = "arn:aws:sns:ap-northeast-2:111111111111:example-alarms"
  monthly_budget_usd = 5000
  # A member account of an organization: the management account activates the tags.
  activate_cost_allocation_tags = false
  tags                          = { Project = "orch-eks", Environment = "example" }
}

output "budget_name" {
  description = "The monthly budget."
  value       = module.cost.budget_name
}
