environment = "prod"
aws_region  = "eu-west-1"
vpc_cidr    = "10.30.0.0/16"

single_nat_gateway      = false
eks_public_access_cidrs = ["198.51.100.0/24"]
cluster_admin_role_arns = ["arn:aws:iam::111122223333:role/platform-admin"]

node_instance_types = ["m6i.large"]
node_capacity_type  = "ON_DEMAND"
node_min_size       = 3
node_desired_size   = 3
node_max_size       = 6

db_instance_class            = "db.r6g.large"
db_allocated_storage_gib     = 50
db_max_allocated_storage_gib = 500
db_backup_retention_days     = 30
db_multi_az                  = true
db_deletion_protection       = true
