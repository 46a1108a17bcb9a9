output "node_role_arn" {
  description = "ARN of the node IAM role."
  value       = module.node_role.arn
}

output "node_role_name" {
  description = "Name of the node IAM role."
  value       = module.node_role.name
}

output "node_group_names" {
  description = "Map node group key -> EKS node group name."
  value       = { for k, g in aws_eks_node_group.this : k => g.node_group_name }
}

output "node_group_arns" {
  description = "Map node group key -> node group ARN."
  value       = { for k, g in aws_eks_node_group.this : k => g.arn }
}

output "launch_template_ids" {
  description = "Map node group key -> launch template ID."
  value       = { for k, lt in aws_launch_template.this : k => lt.id }
}
