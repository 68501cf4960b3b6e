output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name ...)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "EKS API endpoint."
  value       = module.eks.cluster_endpoint
}

output "service_role_arn" {
  description = "IRSA role to put on the service's ServiceAccount."
  value       = module.eks.service_role_arn
}

output "load_balancer_controller_role_arn" {
  description = "IRSA role for the AWS Load Balancer Controller."
  value       = module.eks.load_balancer_controller_role_arn
}

output "alb_security_group_id" {
  description = "Security group named by the Ingress."
  value       = module.network.alb_security_group_id
}

output "database_endpoint" {
  description = "RDS host name."
  value       = module.rds.endpoint
}

output "database_secret_arn" {
  description = "Secrets Manager secret that the ExternalSecret reads."
  value       = module.rds.master_user_secret_arn
}

output "ecr_repository_url" {
  description = "In-account image repository."
  value       = module.ecr.repository_url
}
