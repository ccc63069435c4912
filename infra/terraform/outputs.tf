output "domain_name" {
  description = "The CodeArtifact domain (the actions' `domain` input)."
  value       = aws_codeartifact_domain.this.domain
}

output "domain_owner" {
  description = "Account that owns the domain (the actions' `domain-owner` input for other accounts)."
  value       = aws_codeartifact_domain.this.owner
}

output "repositories" {
  description = "Store names by role: pypi, npm, maven, generic, internal."
  value = merge(
    { for format, store in aws_codeartifact_repository.format_store : format => store.repository },
    {
      generic  = aws_codeartifact_repository.generic_store.repository
      internal = aws_codeartifact_repository.internal_store.repository
    },
  )
}

output "reader_role_arn" {
  description = "Role for setup-codeartifact and download-generic (`role-to-assume`)."
  value       = aws_iam_role.reader.arn
}

output "publisher_role_arns" {
  description = "Publisher role ARN by format (pypi, maven, npm, generic)."
  value       = { for format, role in aws_iam_role.publisher : format => role.arn }
}

output "oidc_provider_arn" {
  description = "The GitHub Actions OIDC provider the roles trust."
  value       = local.oidc_provider_arn
}
