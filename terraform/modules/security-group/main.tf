# The platform's security groups and every rule between them. Rules are separate
# aws_vpc_security_group_{ingress,egress}_rule resources (one rule each, each described);
# a group with no egress rule has no egress at all (the provider removes AWS's default
# allow-all egress when it creates a group).
#
# Traffic model:
#   internet --80/443--> alb --1025-65535--> node (pods share the node group under custom networking)
#   node <--all--> node (node-to-node, pod-to-pod, CoreDNS)
#   node --443--> cluster (Kubernetes API); cluster --443,1025-65535--> node (kubelet 10250, webhooks)
#   node --3306--> rds, --6379--> elasticache, --2049--> efs (nothing else reaches them)
#   bastion: no inbound (SSM Session Manager, no SSH); 443 inside the VPC (SSM endpoints, API server)
module "naming" {
  source = "../naming"

  environment = var.environment
  name_prefix = var.name_prefix
}

locals {
  groups = {
    cluster     = "EKS control plane (additional cluster security group)"
    node        = "EKS worker nodes and pods"
    alb         = "Internet-facing application load balancers"
    rds         = "Aurora MySQL: 3306 from worker nodes only"
    elasticache = "ElastiCache Redis: 6379 from worker nodes only"
    efs         = "EFS mount targets: NFS from worker nodes only"
    bastion     = "SSM-managed bastion: no inbound"
  }

  # Every rule: group it belongs to, peer (another group via `sg`, or a CIDR via `cidr`).
  ingress = merge(
    {
      cluster_https_from_node    = { sg = "cluster", peer = "node", proto = "tcp", from = 443, to = 443, desc = "Kubernetes API from worker nodes and pods" }
      cluster_https_from_bastion = { sg = "cluster", peer = "bastion", proto = "tcp", from = 443, to = 443, desc = "Kubernetes API from the SSM bastion (kubectl through the private endpoint)" }

      node_all_from_node          = { sg = "node", peer = "node", proto = "-1", from = null, to = null, desc = "Node-to-node and pod-to-pod traffic (CoreDNS, services, overlay-free VPC CNI)" }
      node_https_from_cluster     = { sg = "node", peer = "cluster", proto = "tcp", from = 443, to = 443, desc = "Control plane to admission webhooks and extension API servers on 443" }
      node_ephemeral_from_cluster = { sg = "node", peer = "cluster", proto = "tcp", from = 1025, to = 65535, desc = "Control plane to kubelet (10250) and webhook/aggregated API ports of pods" }
      node_targets_from_alb       = { sg = "node", peer = "alb", proto = "tcp", from = 1025, to = 65535, desc = "ALB to target pods and NodePorts" }

      rds_mysql_from_node         = { sg = "rds", peer = "node", proto = "tcp", from = 3306, to = 3306, desc = "MySQL from worker nodes and pods" }
      elasticache_redis_from_node = { sg = "elasticache", peer = "node", proto = "tcp", from = 6379, to = 6379, desc = "Redis (TLS) from worker nodes and pods" }
      efs_nfs_from_node           = { sg = "efs", peer = "node", proto = "tcp", from = 2049, to = 2049, desc = "NFS from worker nodes (EFS CSI driver)" }
    },
    merge([
      for i, cidr in var.alb_ingress_cidrs : {
        "alb_http_${i}"  = { sg = "alb", cidr = cidr, proto = "tcp", from = 80, to = 80, desc = "HTTP from clients (${cidr}); the listener only redirects to HTTPS" }
        "alb_https_${i}" = { sg = "alb", cidr = cidr, proto = "tcp", from = 443, to = 443, desc = "HTTPS from clients (${cidr})" }
      }
    ]...),
  )

  egress = merge(
    {
      cluster_https_to_node     = { sg = "cluster", peer = "node", proto = "tcp", from = 443, to = 443, desc = "Control plane to webhooks on 443" }
      cluster_ephemeral_to_node = { sg = "cluster", peer = "node", proto = "tcp", from = 1025, to = 65535, desc = "Control plane to kubelet (10250) and webhook/aggregated API ports of pods" }

      node_all_to_node          = { sg = "node", peer = "node", proto = "-1", from = null, to = null, desc = "Node-to-node and pod-to-pod traffic" }
      node_https_to_cluster     = { sg = "node", peer = "cluster", proto = "tcp", from = 443, to = 443, desc = "Kubernetes API" }
      node_dns_udp_to_vpc       = { sg = "node", cidr = var.vpc_cidr_block, proto = "udp", from = 53, to = 53, desc = "DNS to the VPC resolver" }
      node_dns_tcp_to_vpc       = { sg = "node", cidr = var.vpc_cidr_block, proto = "tcp", from = 53, to = 53, desc = "DNS over TCP to the VPC resolver" }
      node_mysql_to_rds         = { sg = "node", peer = "rds", proto = "tcp", from = 3306, to = 3306, desc = "MySQL to Aurora" }
      node_redis_to_elasticache = { sg = "node", peer = "elasticache", proto = "tcp", from = 6379, to = 6379, desc = "Redis to ElastiCache" }
      node_nfs_to_efs           = { sg = "node", peer = "efs", proto = "tcp", from = 2049, to = 2049, desc = "NFS to EFS mount targets" }

      alb_targets_to_node = { sg = "alb", peer = "node", proto = "tcp", from = 1025, to = 65535, desc = "ALB to target pods and NodePorts" }

      bastion_https_to_vpc = { sg = "bastion", cidr = var.vpc_cidr_block, proto = "tcp", from = 443, to = 443, desc = "SSM/EC2 messages endpoints and the private Kubernetes API inside the VPC" }
    },
    # Nodes need HTTPS beyond the VPC: ECR layer downloads, AWS APIs that have no endpoint
    # here (EKS, Secrets Manager, ...) and external HTTPS services of the workloads.
    # No other port leaves the VPC.
    {
      for i, cidr in var.node_https_egress_cidrs : "node_https_out_${i}" => {
        sg = "node", cidr = cidr, proto = "tcp", from = 443, to = 443, desc = "HTTPS to ECR, AWS APIs and external services (${cidr}) through NAT"
      }
    },
  )
}

resource "aws_security_group" "this" {
  for_each = local.groups

  # checkov:skip=CKV2_AWS_5:The groups are attached in later layers (EKS cluster, node groups, ALB controller, Aurora, ElastiCache, EFS, bastion).
  name        = module.naming.security_group_names[each.key]
  description = each.value
  vpc_id      = var.vpc_id

  # The node group is the one group on node ENIs tagged for the cluster: the AWS Load Balancer
  # Controller adds its backend rules to exactly that group (the launch template attaches only this
  # group, not EKS's own cluster group, which carries the tag otherwise).
  tags = merge(
    var.tags,
    { Name = module.naming.security_group_names[each.key], Role = each.key },
    each.key == "node" ? { "kubernetes.io/cluster/${module.naming.cluster_name}" = "owned" } : {},
  )
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each = local.ingress

  # checkov:skip=CKV_AWS_260:Only the ALB's HTTP listener (which redirects to HTTPS) is open to clients on 80; every other rule has a peer group.
  security_group_id            = aws_security_group.this[each.value.sg].id
  description                  = each.value.desc
  ip_protocol                  = each.value.proto
  from_port                    = each.value.from
  to_port                      = each.value.to
  referenced_security_group_id = try(aws_security_group.this[each.value.peer].id, null)
  cidr_ipv4                    = try(each.value.cidr, null)

  tags = merge(var.tags, { Name = "${module.naming.name_prefix}-${replace(each.key, "_", "-")}" })
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each = local.egress

  security_group_id            = aws_security_group.this[each.value.sg].id
  description                  = each.value.desc
  ip_protocol                  = each.value.proto
  from_port                    = each.value.from
  to_port                      = each.value.to
  referenced_security_group_id = try(aws_security_group.this[each.value.peer].id, null)
  cidr_ipv4                    = try(each.value.cidr, null)

  tags = merge(var.tags, { Name = "${module.naming.name_prefix}-${replace(each.key, "_", "-")}" })
}
