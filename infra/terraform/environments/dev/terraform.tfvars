environment = "dev"
aws_region  = "eu-west-1"
vpc_cidr    = "10.10.0.0/16"

single_nat_gateway      = true
eks_public_access_cidrs = ["198.51.100.0/24"]
cluster_admin_role_arns = ["arn:aws:iam::111122223333:role/platform-admin"]

node_instance_types = ["t3.large", "t3a.large"]
node_capacity_type  = "SPOT"
node_min_size       = 1
node_desired_size   = 2
node_max_size       = 3

db_instance_class            = "db.t4g.micro"
db_allocated_storage_gib     = 20
db_max_allocated_storage_gib = 50
db_backup_retention_days     = 7
db_multi_az                  = false
db_deletion_protection       = false
