# State per environment in one encrypted bucket; S3-native lock files (Terraform >= 1.10) stop two
# applies from racing.
terraform {
  backend "s3" {
    bucket       = "acme-corp-terraform-state"
    key          = "titanic-service/prod/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    kms_key_id   = "alias/terraform-state"
    use_lockfile = true
  }
}
