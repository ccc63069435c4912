# Story 3's layout: one domain, a store per format with its public upstream, a generic store,
# and internal-store aggregating them; roles for this organization's release repositories.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40, < 6.0"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  description = "Region of the domain."
  type        = string
  default     = "us-east-1"
}

module "codeartifact" {
  source = "../.."

  domain_name         = "security-tools"
  github_repositories = ["acme/security-tools-updater", "acme/scanner"]
  organization_id     = "o-a1b2c3d4e5"
  maven_group_id      = "com.acme"
  generic_namespace   = "tools"

  tags = {
    team = "platform"
  }
}

output "reader_role_arn" {
  value = module.codeartifact.reader_role_arn
}

output "publisher_role_arns" {
  value = module.codeartifact.publisher_role_arns
}

output "repositories" {
  value = module.codeartifact.repositories
}
