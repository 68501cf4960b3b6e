variable "name" {
  description = "Prefix for every resource name, e.g. titanic-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be a lowercase DNS-style label of 3 to 32 characters."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC; a /16 leaves room for three /20 private and three /24 public subnets."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 16
    error_message = "vpc_cidr must be a valid IPv4 CIDR block of size /16 or larger."
  }
}

variable "az_count" {
  description = "Number of availability zones to spread subnets over."
  type        = number
  default     = 3

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "az_count must be 2 or 3 (EKS needs at least two zones)."
  }
}

variable "single_nat_gateway" {
  description = "One shared NAT gateway instead of one per zone: cheaper, but a zone outage cuts egress for the others."
  type        = bool
  default     = false
}

variable "cluster_name" {
  description = "EKS cluster name, used for the subnet discovery tags the AWS Load Balancer Controller reads."
  type        = string
}

variable "service_port" {
  description = "Container port the ALB forwards to (target type ip)."
  type        = number
  default     = 8080

  validation {
    condition     = var.service_port > 0 && var.service_port < 65536
    error_message = "service_port must be a TCP port number."
  }
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the flow-log group."
  type        = string
}

variable "flow_log_retention_days" {
  description = "Days to keep VPC flow logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([90, 180, 365, 400, 545, 731, 1827, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a CloudWatch retention value of at least 90 days."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
