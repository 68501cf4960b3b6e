variable "repository_name" {
  description = "ECR repository name, e.g. acme-corp/titanic-service."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.repository_name))
    error_message = "repository_name must be a valid ECR repository name."
  }
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the stored images."
  type        = string
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images are deleted."
  type        = number
  default     = 14
}

variable "keep_tagged_images" {
  description = "Number of tagged images kept; older ones are expired."
  type        = number
  default     = 100

  validation {
    condition     = var.keep_tagged_images >= 10
    error_message = "keep_tagged_images must be at least 10 so rollbacks have images to return to."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
