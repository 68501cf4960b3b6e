variable "environment" {
  description = "Deployment environment; also the suffix of the Kubernetes namespace."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "system_name" {
  description = "Short name of the system, the prefix of every AWS resource and Kubernetes namespace."
  type        = string
  default     = "titanic"
}

variable "service_name" {
  description = "Name of the service: Deployment, ServiceAccount and image repository."
  type        = string
  default     = "titanic-service"
}

variable "image_repository" {
  description = "ECR repository name mirroring the GHCR image."
  type        = string
  default     = "acme-corp/titanic-service"
}

variable "aws_region" {
  description = "AWS region of the environment (one AWS account per environment)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like eu-west-1."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the environment's VPC."
  type        = string
}

variable "single_nat_gateway" {
  description = "Share one NAT gateway across zones (cost over availability)."
  type        = bool
}

variable "eks_public_access_cidrs" {
  description = "CIDRs allowed to reach the EKS public endpoint; [] keeps it private."
  type        = list(string)
}

variable "cluster_admin_role_arns" {
  description = "IAM roles of this account that administer the cluster."
  type        = list(string)
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
  default     = "1.32"
}

variable "node_instance_types" {
  description = "Instance types of the node group."
  type        = list(string)
}

variable "node_capacity_type" {
  description = "ON_DEMAND or SPOT nodes."
  type        = string
}

variable "node_min_size" {
  description = "Minimum number of nodes."
  type        = number
}

variable "node_desired_size" {
  description = "Initial number of nodes."
  type        = number
}

variable "node_max_size" {
  description = "Maximum number of nodes."
  type        = number
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
}

variable "db_allocated_storage_gib" {
  description = "Initial RDS storage in GiB."
  type        = number
}

variable "db_max_allocated_storage_gib" {
  description = "RDS storage autoscaling limit in GiB."
  type        = number
}

variable "db_backup_retention_days" {
  description = "Automated backup and PITR window in days: 7, and 30 in prod."
  type        = number

  validation {
    condition     = var.db_backup_retention_days >= (var.environment == "prod" ? 30 : 7)
    error_message = "Backups are kept at least 7 days, and at least 30 days in prod."
  }
}

variable "db_multi_az" {
  description = "Run the database with a standby in a second zone."
  type        = bool

  validation {
    condition     = var.environment != "prod" || var.db_multi_az
    error_message = "The prod database must be multi-AZ."
  }
}

variable "db_deletion_protection" {
  description = "Protect the database from deletion."
  type        = bool

  validation {
    condition     = var.environment != "prod" || var.db_deletion_protection
    error_message = "The prod database must have deletion protection."
  }
}
