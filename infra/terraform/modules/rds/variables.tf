variable "name" {
  description = "Prefix for every resource name and the DB instance identifier, e.g. titanic-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be a lowercase DNS-style label of 3 to 32 characters."
  }
}

variable "vpc_id" {
  description = "VPC of the database security group."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for the DB subnet group (at least two zones)."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "RDS needs subnets in at least two availability zones."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect on 5432: the EKS nodes', nothing else."
  type        = list(string)

  validation {
    condition     = length(var.allowed_security_group_ids) > 0
    error_message = "At least one client security group is required; the database is never open by CIDR."
  }
}

variable "kms_key_arn" {
  description = "KMS key for storage, Performance Insights and the master secret."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL major.minor version."
  type        = string
  default     = "16.6"

  validation {
    condition     = can(regex("^16\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must be a PostgreSQL 16 release, e.g. 16.6."
  }
}

variable "instance_class" {
  description = "DB instance class, e.g. db.t4g.micro in dev, db.r6g.large in prod."
  type        = string

  validation {
    condition     = startswith(var.instance_class, "db.")
    error_message = "instance_class must be an RDS class such as db.t4g.small."
  }
}

variable "allocated_storage_gib" {
  description = "Initial storage in GiB."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage_gib >= 20
    error_message = "allocated_storage_gib must be at least 20."
  }
}

variable "max_allocated_storage_gib" {
  description = "Upper bound for storage autoscaling in GiB."
  type        = number
  default     = 100
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "titanic"
}

variable "master_username" {
  description = "Master user name; its password is generated and rotated by RDS in Secrets Manager."
  type        = string
  default     = "titanic_admin"
}

variable "backup_retention_days" {
  description = "Days of automated backups and point-in-time recovery (7 outside prod, 30 in prod)."
  type        = number

  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 7 and 35."
  }
}

variable "multi_az" {
  description = "Synchronous standby in a second zone."
  type        = bool
}

variable "deletion_protection" {
  description = "Refuse DeleteDBInstance until this is turned off."
  type        = bool
}

variable "max_connections" {
  description = "PostgreSQL max_connections; the service's pool size times its maximum replicas must fit under it."
  type        = number
  default     = 200

  validation {
    condition     = var.max_connections >= 20
    error_message = "max_connections must be at least 20."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
