variable "environment" {
  type        = string
  description = "Environment name from env.yaml (e.g. eks-prod); names are derived from it by the naming module."
}

variable "name_prefix" {
  type        = string
  description = "Name prefix from 00-foundation (null derives \"orch-<environment>\")."
  default     = null
}

variable "cluster_name" {
  type        = string
  description = "EKS cluster name for the kubernetes.io/cluster/<name> subnet tags; null uses the naming module's cluster name."
  default     = null
}

variable "region" {
  type        = string
  description = "AWS region; VPC endpoint service names are built from it."

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must look like ap-northeast-2."
  }
}

variable "azs" {
  type        = list(string)
  description = "Availability zones, in order; every subnet list below follows this order (one subnet per AZ)."

  validation {
    condition     = length(var.azs) >= 2 && length(distinct(var.azs)) == length(var.azs)
    error_message = "At least two distinct availability zones are required (HA)."
  }
}

variable "vpc_cidr" {
  type        = string
  description = "IPv4 CIDR of the VPC."
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && try(cidrhost(var.vpc_cidr, 0) == split("/", var.vpc_cidr)[0], false) && try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 24, false)
    error_message = "vpc_cidr must be a network address with a prefix between /16 and /24 (e.g. 10.0.0.0/16)."
  }
}

variable "public_subnet_cidrs" {
  type        = list(string)
  description = "Public subnets (NAT gateways, internet-facing ALBs), one per AZ in azs order."
  default     = ["10.0.0.0/24", "10.0.1.0/24"]

  validation {
    condition     = alltrue([for c in var.public_subnet_cidrs : can(cidrhost(c, 0)) && try(cidrhost(c, 0) == split("/", c)[0] && tonumber(split("/", c)[1]) >= 16 && tonumber(split("/", c)[1]) <= 28, false)])
    error_message = "Each public subnet CIDR must be a network address with a prefix between /16 and /28."
  }
}

variable "private_subnet_cidrs" {
  type        = list(string)
  description = "Private subnets (EKS worker nodes, VPC interface endpoints), one per AZ in azs order."
  default     = ["10.0.10.0/24", "10.0.11.0/24"]

  validation {
    condition     = alltrue([for c in var.private_subnet_cidrs : can(cidrhost(c, 0)) && try(cidrhost(c, 0) == split("/", c)[0] && tonumber(split("/", c)[1]) >= 16 && tonumber(split("/", c)[1]) <= 28, false)])
    error_message = "Each private subnet CIDR must be a network address with a prefix between /16 and /28."
  }
}

variable "database_subnet_cidrs" {
  type        = list(string)
  description = "Isolated database subnets (RDS, ElastiCache, no internet route), one per AZ in azs order."
  default     = ["10.0.20.0/24", "10.0.21.0/24"]

  validation {
    condition     = alltrue([for c in var.database_subnet_cidrs : can(cidrhost(c, 0)) && try(cidrhost(c, 0) == split("/", c)[0] && tonumber(split("/", c)[1]) >= 16 && tonumber(split("/", c)[1]) <= 28, false)])
    error_message = "Each database subnet CIDR must be a network address with a prefix between /16 and /28."
  }
}

variable "pod_subnet_cidrs" {
  type        = list(string)
  description = "Pod subnets for VPC CNI custom networking (one ENIConfig per AZ), one per AZ in azs order."
  default     = ["10.0.100.0/22", "10.0.104.0/22"]

  validation {
    condition     = alltrue([for c in var.pod_subnet_cidrs : can(cidrhost(c, 0)) && try(cidrhost(c, 0) == split("/", c)[0] && tonumber(split("/", c)[1]) >= 16 && tonumber(split("/", c)[1]) <= 28, false)])
    error_message = "Each pod subnet CIDR must be a network address with a prefix between /16 and /28."
  }
}

variable "single_nat_gateway" {
  type        = bool
  description = "One NAT gateway (in the first AZ) for every AZ instead of one per AZ: for dev and other non-production environments, where the saving outweighs losing egress with that AZ. orch refuses it for a production tier."
  default     = false
}

variable "interface_endpoints" {
  type        = list(string)
  description = "Interface VPC endpoints (service suffix after com.amazonaws.<region>.) that private nodes and pods need without a NAT round trip: images, STS (IRSA), logs and metrics, the EKS and EKS Auth (Pod Identity) APIs, Secrets Manager and KMS (External Secrets), EFS (CSI driver), load balancers, autoscaling, Session Manager."
  default = [
    "ecr.api", "ecr.dkr", "sts", "logs", "ec2", "elasticloadbalancing", "autoscaling",
    "ssm", "ssmmessages", "ec2messages",
    "secretsmanager", "kms", "eks", "eks-auth", "elasticfilesystem", "monitoring",
  ]

  validation {
    condition     = alltrue([for s in var.interface_endpoints : can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", s))])
    error_message = "Each interface endpoint must be a service suffix like ecr.api."
  }
  validation {
    condition     = length(distinct(var.interface_endpoints)) == length(var.interface_endpoints)
    error_message = "Each interface endpoint may be listed once."
  }
}

variable "endpoint_resource_account_services" {
  type        = list(string)
  description = "Interface endpoints whose policy also requires the resource to be in this account (aws:ResourceAccount, where the request has one), on top of the caller being in it (aws:PrincipalAccount, every endpoint): the services holding the environment's data. Not for ECR, EC2, SSM or STS, whose callers here legitimately use AWS-owned images, AMIs and parameters."
  default     = ["secretsmanager", "kms", "logs", "monitoring", "elasticfilesystem", "eks", "eks-auth"]

  validation {
    condition     = alltrue([for s in var.endpoint_resource_account_services : !contains(["ecr.api", "ecr.dkr", "ec2", "ssm", "sts"], s)])
    error_message = "ecr.api, ecr.dkr, ec2, ssm and sts serve AWS-owned images, AMIs and parameters (and IRSA's web-identity calls): restricting their resources to this account breaks nodes."
  }
}

variable "flow_log_kms_key_arn" {
  type        = string
  description = "ARN of the logs KMS key (00-foundation kms_key_arns[\"logs\"]) that encrypts the flow-log log group."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.flow_log_kms_key_arn))
    error_message = "flow_log_kms_key_arn must be a KMS key ARN (not an alias)."
  }
}

variable "flow_log_retention_in_days" {
  type        = number
  description = "Retention of the VPC flow-log log group."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_in_days)
    error_message = "flow_log_retention_in_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 365, 400, 545, 731, ... 3653)."
  }
}

variable "flow_log_traffic_type" {
  type        = string
  description = "Traffic the VPC flow log captures."
  default     = "ALL"

  validation {
    condition     = contains(["ACCEPT", "REJECT", "ALL"], var.flow_log_traffic_type)
    error_message = "flow_log_traffic_type must be ACCEPT, REJECT or ALL."
  }
}

variable "flow_log_max_aggregation_interval" {
  type        = number
  description = "Seconds over which flow-log records are aggregated."
  default     = 60

  validation {
    condition     = contains([60, 600], var.flow_log_max_aggregation_interval)
    error_message = "flow_log_max_aggregation_interval must be 60 or 600."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource (merged with a Name; the provider adds default_tags as well)."
  default     = {}
}
