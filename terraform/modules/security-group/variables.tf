variable "environment" {
  type        = string
  description = "Environment name from env.yaml (e.g. eks-prod); names are derived from it by the naming module."
}

variable "name_prefix" {
  type        = string
  description = "Name prefix from 00-foundation (null derives \"orch-<environment>\")."
  default     = null
}

variable "vpc_id" {
  type        = string
  description = "VPC that holds the security groups (10-networking vpc_id)."

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "vpc_cidr_block" {
  type        = string
  description = "CIDR of the VPC (10-networking vpc_cidr_block): DNS and the bastion's HTTPS egress stay inside it."

  validation {
    condition     = can(cidrhost(var.vpc_cidr_block, 0))
    error_message = "vpc_cidr_block must be an IPv4 CIDR."
  }
}

variable "alb_ingress_cidrs" {
  type        = list(string)
  description = "Client CIDRs allowed to reach the ALB on 80 (redirect) and 443. The ALB is the only group that may be open to 0.0.0.0/0."
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.alb_ingress_cidrs) > 0 && alltrue([for c in var.alb_ingress_cidrs : can(cidrhost(c, 0))])
    error_message = "alb_ingress_cidrs must be a non-empty list of IPv4 CIDRs."
  }
}

variable "node_https_egress_cidrs" {
  type        = list(string)
  description = "Destinations of the nodes' (and pods') HTTPS egress: ECR, AWS APIs without a VPC endpoint, and external HTTPS services, through the NAT gateways."
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for c in var.node_https_egress_cidrs : can(cidrhost(c, 0))])
    error_message = "node_https_egress_cidrs must be IPv4 CIDRs."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every security group and rule (merged with a Name; the provider adds default_tags as well)."
  default     = {}
}
