# Identical in every environment: what differs between dev, staging and prod lives in
# terraform.tfvars and backend.tf only.

locals {
  name            = "${var.system_name}-${var.environment}"
  namespace       = "${var.system_name}-${var.environment}"
  service_account = var.service_name

  tags = {
    System      = var.system_name
    Service     = var.service_name
    Environment = var.environment
    ManagedBy   = "terraform"
  }
}

module "kms" {
  source = "../../modules/kms"

  name = local.name
}

module "network" {
  source = "../../modules/network"

  name               = local.name
  vpc_cidr           = var.vpc_cidr
  az_count           = 3
  single_nat_gateway = var.single_nat_gateway
  cluster_name       = local.name
  kms_key_arn        = module.kms.key_arn
}

module "eks" {
  source = "../../modules/eks"

  cluster_name            = local.name
  kubernetes_version      = var.kubernetes_version
  private_subnet_ids      = module.network.private_subnet_ids
  public_access_cidrs     = var.eks_public_access_cidrs
  cluster_admin_role_arns = var.cluster_admin_role_arns
  kms_key_arn             = module.kms.key_arn
  node_instance_types     = var.node_instance_types
  node_capacity_type      = var.node_capacity_type
  node_min_size           = var.node_min_size
  node_desired_size       = var.node_desired_size
  node_max_size           = var.node_max_size
  service_namespace       = local.namespace
  service_account_name    = local.service_account
  service_secret_arns     = [module.rds.master_user_secret_arn]
}

module "rds" {
  source = "../../modules/rds"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  private_subnet_ids         = module.network.private_subnet_ids
  allowed_security_group_ids = [module.eks.node_security_group_id]
  kms_key_arn                = module.kms.key_arn
  instance_class             = var.db_instance_class
  allocated_storage_gib      = var.db_allocated_storage_gib
  max_allocated_storage_gib  = var.db_max_allocated_storage_gib
  backup_retention_days      = var.db_backup_retention_days
  multi_az                   = var.db_multi_az
  deletion_protection        = var.db_deletion_protection
}

module "ecr" {
  source = "../../modules/ecr"

  repository_name = var.image_repository
  kms_key_arn     = module.kms.key_arn
}
