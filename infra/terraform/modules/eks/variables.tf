variable "cluster_name" {
  description = "Name of the EKS cluster, e.g. titanic-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.cluster_name))
    error_message = "cluster_name must be a lowercase DNS-style label of 3 to 32 characters."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and node groups."
  type        = string
  default     = "1.32"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.32."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets for the control-plane ENIs and the nodes (at least two zones)."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "EKS needs subnets in at least two availability zones."
  }
}

variable "public_access_cidrs" {
  description = "CIDRs allowed to reach the public API endpoint (office VPN, CI runners). Empty list: private endpoint only."
  type        = list(string)

  validation {
    condition     = alltrue([for cidr in var.public_access_cidrs : can(cidrhost(cidr, 0)) && cidr != "0.0.0.0/0"])
    error_message = "public_access_cidrs must be valid CIDRs and must not contain 0.0.0.0/0."
  }
}

variable "cluster_admin_role_arns" {
  description = "IAM roles granted cluster-admin through EKS access entries (the platform team's break-glass and admin roles)."
  type        = list(string)

  validation {
    condition     = alltrue([for arn in var.cluster_admin_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "cluster_admin_role_arns must be IAM role ARNs."
  }
}

variable "kms_key_arn" {
  description = "KMS key for envelope encryption of Kubernetes secrets and for the control-plane log group."
  type        = string
}

variable "log_retention_days" {
  description = "Days to keep control-plane logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([90, 180, 365, 400, 545, 731, 1827, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch retention value of at least 90 days."
  }
}

variable "node_instance_types" {
  description = "Instance types of the managed node group (several types widen Spot/On-Demand capacity pools)."
  type        = list(string)
  default     = ["m6i.large"]

  validation {
    condition     = length(var.node_instance_types) > 0
    error_message = "node_instance_types needs at least one instance type."
  }
}

variable "node_capacity_type" {
  description = "ON_DEMAND or SPOT."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.node_capacity_type)
    error_message = "node_capacity_type must be ON_DEMAND or SPOT."
  }
}

variable "node_min_size" {
  description = "Minimum number of nodes."
  type        = number
  default     = 2

  validation {
    condition     = var.node_min_size >= 1
    error_message = "node_min_size must be at least 1."
  }
}

variable "node_desired_size" {
  description = "Initial number of nodes (later owned by the cluster autoscaler)."
  type        = number
  default     = 2
}

variable "node_max_size" {
  description = "Maximum number of nodes."
  type        = number
  default     = 4
}

variable "node_disk_size_gib" {
  description = "Root volume size of each node (encrypted gp3)."
  type        = number
  default     = 50

  validation {
    condition     = var.node_disk_size_gib >= 20
    error_message = "node_disk_size_gib must be at least 20."
  }
}

variable "service_namespace" {
  description = "Namespace of the service's ServiceAccount, for the IRSA trust policy."
  type        = string
}

variable "service_account_name" {
  description = "Name of the service's ServiceAccount, for the IRSA trust policy."
  type        = string
}

variable "service_secret_arns" {
  description = "Secrets Manager secrets the service's IRSA role may read (the database master secret)."
  type        = list(string)
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
