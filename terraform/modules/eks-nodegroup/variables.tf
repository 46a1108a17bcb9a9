variable "cluster_name" {
  type        = string
  description = "Name of the EKS cluster the node groups join."

  validation {
    condition     = can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be a valid EKS cluster name."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes version of the nodes (normally the cluster's; null lets EKS pick the cluster version)."
  default     = null

  validation {
    condition     = var.kubernetes_version == null || can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.35."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets (both AZs) for the nodes."

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids needs at least two subnet IDs (one per AZ)."
  }
}

variable "node_security_group_ids" {
  type        = list(string)
  description = "Security groups of the nodes (20-security's node_security_group_id)."

  validation {
    condition     = length(var.node_security_group_ids) > 0 && alltrue([for s in var.node_security_group_ids : can(regex("^sg-[0-9a-f]+$", s))])
    error_message = "node_security_group_ids needs at least one security group ID."
  }
}

variable "ebs_kms_key_arn" {
  type        = string
  description = "KMS key ARN that encrypts the nodes' root volumes (00-foundation kms_key_arns.ebs)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.ebs_kms_key_arn))
    error_message = "ebs_kms_key_arn must be a KMS key ARN."
  }
}

variable "metadata_hop_limit" {
  type        = number
  description = "IMDSv2 PUT response hop limit. 1 keeps pods (which get AWS access through IRSA) away from the node role's credentials; 2 only if a pod without host networking must read IMDS."
  default     = 1

  validation {
    condition     = var.metadata_hop_limit >= 1 && var.metadata_hop_limit <= 2
    error_message = "metadata_hop_limit must be 1 or 2."
  }
}

variable "node_groups" {
  type = map(object({
    instance_types             = list(string)
    capacity_type              = optional(string, "ON_DEMAND")
    min_size                   = number
    max_size                   = number
    desired_size               = optional(number)
    ami_type                   = optional(string, "AL2023_x86_64_STANDARD")
    disk_size                  = optional(number, 50)
    labels                     = optional(map(string), {})
    taints                     = optional(list(object({ key = string, value = optional(string), effect = string })), [])
    max_unavailable_percentage = optional(number, 33)
  }))
  description = "Managed node groups keyed by a short name (system, application, spot). desired_size defaults to min_size and is owned by the Cluster Autoscaler afterwards."

  validation {
    condition     = length(var.node_groups) > 0 && alltrue([for k in keys(var.node_groups) : can(regex("^[a-z][a-z0-9-]{0,19}$", k))])
    error_message = "node_groups needs at least one entry; keys are lowercase names up to 20 characters."
  }
  validation {
    condition = alltrue(flatten([for g in values(var.node_groups) : [
      for t in g.instance_types : can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", t))
    ]])) && alltrue([for g in values(var.node_groups) : length(g.instance_types) > 0])
    error_message = "instance_types must be non-empty lists of EC2 instance types such as m6i.large."
  }
  validation {
    condition     = alltrue([for g in values(var.node_groups) : contains(["ON_DEMAND", "SPOT"], g.capacity_type)])
    error_message = "capacity_type must be ON_DEMAND or SPOT."
  }
  validation {
    condition = alltrue([for g in values(var.node_groups) :
      g.min_size >= 0 && g.max_size >= 1 && g.min_size <= g.max_size &&
      (g.desired_size == null ? true : (g.desired_size >= g.min_size && g.desired_size <= g.max_size))
    ])
    error_message = "Each node group needs 0 <= min_size <= desired_size <= max_size and max_size >= 1."
  }
  validation {
    condition     = alltrue([for g in values(var.node_groups) : g.disk_size >= 20 && g.disk_size <= 16384])
    error_message = "disk_size must be between 20 and 16384 GiB."
  }
  validation {
    condition     = alltrue([for g in values(var.node_groups) : g.max_unavailable_percentage >= 1 && g.max_unavailable_percentage <= 100])
    error_message = "max_unavailable_percentage must be between 1 and 100."
  }
  validation {
    condition     = alltrue(flatten([for g in values(var.node_groups) : [for t in g.taints : contains(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"], t.effect)]]))
    error_message = "Taint effect must be NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE."
  }
  validation {
    condition     = alltrue([for g in values(var.node_groups) : can(regex("^(AL2023|BOTTLEROCKET)_", g.ami_type))])
    error_message = "ami_type must be an AL2023_* or BOTTLEROCKET_* type (AL2 has no images for current Kubernetes versions)."
  }
}

# A gate, not a value: its validation refuses node groups until vpc-cni and kube-proxy exist, and
# passing eks-cluster's output orders the units
# tflint-ignore: terraform_unused_declarations
variable "network_addons" {
  type        = map(string)
  description = "Networking add-ons already on the cluster, name -> version (eks-cluster's network_addons output). Node groups refuse to start without vpc-cni and kube-proxy: their nodes would never become Ready."

  validation {
    condition     = alltrue([for name in ["vpc-cni", "kube-proxy"] : contains(keys(var.network_addons), name)])
    error_message = "network_addons must include vpc-cni and kube-proxy: create them on the cluster (eks-cluster, before compute) before any node group."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource."
  default     = {}
}
