variable "domain_name" {
  description = "Name of the CodeArtifact domain to create (2-50 lower-case letters, digits and hyphens)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,48}[a-z0-9]$", var.domain_name))
    error_message = "domain_name: 2-50 characters, lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "github_repositories" {
  description = "GitHub repositories (\"ORG/REPO\", no wildcards) whose workflows may assume the roles."
  type        = list(string)

  validation {
    condition     = length(var.github_repositories) > 0 && alltrue([for r in var.github_repositories : can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", r))])
    error_message = "github_repositories: at least one \"ORG/REPO\"; letters, digits, \"_\", \".\" and \"-\" only, no \"*\"."
  }
}

variable "publish_environment" {
  description = "When set, publisher roles trust jobs of this GitHub environment (repo:ORG/REPO:environment:NAME) instead of v* tag pushes."
  type        = string
  default     = null

  validation {
    condition     = var.publish_environment == null || can(regex("^[A-Za-z0-9_. -]{1,255}$", coalesce(var.publish_environment, "x")))
    error_message = "publish_environment: an environment name without wildcards."
  }
}

variable "reader_refs" {
  description = "Git refs whose jobs may assume the reader role (StringLike patterns on the ref part of the sub claim)."
  type        = list(string)
  default     = ["refs/heads/*", "refs/tags/v*"]

  validation {
    condition     = alltrue([for ref in var.reader_refs : startswith(ref, "refs/") && ref != "refs/*"])
    error_message = "reader_refs: patterns like \"refs/heads/main\" or \"refs/tags/v*\"; \"refs/*\" would trust every ref."
  }
}

variable "create_oidc_provider" {
  description = "Create the GitHub Actions OIDC provider. An account holds only one; set false and pass oidc_provider_arn when it exists."
  type        = bool
  default     = true
}

variable "oidc_provider_arn" {
  description = "ARN of an existing token.actions.githubusercontent.com OIDC provider (when create_oidc_provider is false)."
  type        = string
  default     = null
}

variable "publisher_formats" {
  description = "Formats that get a publisher role: any of pypi, maven, npm, generic."
  type        = set(string)
  default     = ["pypi", "maven", "npm", "generic"]

  validation {
    condition     = length(setsubtract(var.publisher_formats, ["pypi", "maven", "npm", "generic"])) == 0
    error_message = "publisher_formats: only pypi, maven, npm and generic."
  }
}

variable "repository_names" {
  description = "Names of the stores: one per format with its external connection, the generic store, and the aggregated internal store."
  type = object({
    pypi     = optional(string, "pip-store")
    npm      = optional(string, "npm-store")
    maven    = optional(string, "maven-store")
    generic  = optional(string, "generic-store")
    internal = optional(string, "internal-store")
  })
  default = {}
}

variable "maven_group_id" {
  description = "Maven group the maven publisher may publish (the package ARN's namespace); \"*\" for any."
  type        = string
  default     = "*"
}

variable "generic_namespace" {
  description = "Generic namespace the generic publisher may publish into; \"*\" for any."
  type        = string
  default     = "*"
}

variable "organization_id" {
  description = "AWS Organizations ID (o-...). When set, the domain and internal-store policies let the organization's accounts get tokens and read; only this account publishes."
  type        = string
  default     = null

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", coalesce(var.organization_id, "o-0000000000")))
    error_message = "organization_id: an Organizations ID like o-a1b2c3d4e5."
  }
}

variable "role_name_prefix" {
  description = "Prefix of the IAM role names (<prefix>-reader, <prefix>-publish-<format>)."
  type        = string
  default     = "codeartifact"
}

variable "max_session_duration" {
  description = "Longest role session in seconds (3600-43200)."
  type        = number
  default     = 3600
}

variable "tags" {
  description = "Tags for every resource that takes them."
  type        = map(string)
  default     = {}
}
