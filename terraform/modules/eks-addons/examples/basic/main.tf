terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0, < 7.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = ">= 3.0, < 4.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 3.0, < 4.0"
    }
  }
}

variable "cluster_name" {
  type        = string
  description = "Existing EKS cluster."
  default     = "example"
}

provider "aws" {
  region = "ap-northeast-2"
}

# The caller configures the Kubernetes side; the module never does.
data "aws_eks_cluster" "this" {
  name = var.cluster_name
}

data "aws_eks_cluster_auth" "this" {
  name = var.cluster_name
}

provider "kubernetes" {
  host                   = data.aws_eks_cluster.this.endpoint
  cluster_ca_certificate = base64decode(data.aws_eks_cluster.this.certificate_authority[0].data)
  token                  = data.aws_eks_cluster_auth.this.token
}

provider "helm" {
  kubernetes = {
    host                   = data.aws_eks_cluster.this.endpoint
    cluster_ca_certificate = base64decode(data.aws_eks_cluster.this.certificate_authority[0].data)
    token                  = data.aws_eks_cluster_auth.this.token
  }
}

module "addons" {
  source = "../.."

  cluster_name       = var.cluster_name
  kubernetes_version = data.aws_eks_cluster.this.version
  oidc_provider_arn  = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE0000000000000000000000000"
  region             = "ap-northeast-2"
  vpc_id             = data.aws_eks_cluster.this.vpc_config[0].vpc_id
  ebs_kms_key_arn    = "arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000000"
  route53_zone_arns  = ["arn:aws:route53:::hostedzone/Z0000000000EXAMPLE"]
  namespaces         = { platform = ["monitoring"], applications = ["app"] }
  network_policy     = { load_balancer_cidrs = ["10.0.0.0/24", "10.0.1.0/24"], egress_cidrs = ["10.0.0.0/16"] }
  external_secrets   = { secret_name_prefix = "example/" }
  tags               = { Project = "orch-eks" }
}

output "irsa_role_arns" {
  description = "IRSA roles by component."
  value       = module.addons.irsa_role_arns
}
