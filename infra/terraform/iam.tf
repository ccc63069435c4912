locals {
  arn_prefix = "arn:${local.partition}:codeartifact:${local.region}:${local.account_id}"
  domain_arn = "${local.arn_prefix}:domain/${aws_codeartifact_domain.this.domain}"

  internal_store_arn = "${local.arn_prefix}:repository/${aws_codeartifact_domain.this.domain}/${aws_codeartifact_repository.internal_store.repository}"
  generic_store_arn  = "${local.arn_prefix}:repository/${aws_codeartifact_domain.this.domain}/${aws_codeartifact_repository.generic_store.repository}"

  internal_packages = "${local.arn_prefix}:package/${aws_codeartifact_domain.this.domain}/${aws_codeartifact_repository.internal_store.repository}"
  generic_packages  = "${local.arn_prefix}:package/${aws_codeartifact_domain.this.domain}/${aws_codeartifact_repository.generic_store.repository}"

  # Own pypi, maven and npm packages go into the internal store, beside what its upstreams bring;
  # binaries go into the generic store. Each publisher gets exactly what its action calls.
  publishers = {
    pypi = {
      repository_arn   = local.internal_store_arn
      package_arn      = "${local.internal_packages}/pypi/*"
      package_actions  = ["codeartifact:PublishPackageVersion", "codeartifact:PutPackageMetadata"]
      uses_tool_tokens = true
    }
    maven = {
      repository_arn   = local.internal_store_arn
      package_arn      = "${local.internal_packages}/maven/${var.maven_group_id}/*"
      package_actions  = ["codeartifact:PublishPackageVersion", "codeartifact:PutPackageMetadata", "codeartifact:DescribePackageVersion"]
      uses_tool_tokens = true
    }
    npm = {
      repository_arn   = local.internal_store_arn
      package_arn      = "${local.internal_packages}/npm/*"
      package_actions  = ["codeartifact:PublishPackageVersion", "codeartifact:PutPackageMetadata"]
      uses_tool_tokens = true
    }
    generic = {
      repository_arn = local.generic_store_arn
      package_arn    = "${local.generic_packages}/generic/${var.generic_namespace}/*"
      package_actions = [
        "codeartifact:DescribePackageVersion",
        "codeartifact:ListPackageVersionAssets",
        "codeartifact:PublishPackageVersion",
        "codeartifact:UpdatePackageVersionsStatus",
      ]
      # publish-generic talks to the API only: no token, no endpoint.
      uses_tool_tokens = false
    }
  }

  publisher_subjects = var.publish_environment == null ? [
    for repo in var.github_repositories : "repo:${repo}:ref:refs/tags/v*"
    ] : [
    for repo in var.github_repositories : "repo:${repo}:environment:${var.publish_environment}"
  ]
  reader_subjects = flatten([
    for repo in var.github_repositories : [for ref in var.reader_refs : "repo:${repo}:ref:${ref}"]
  ])
}

data "aws_iam_policy_document" "trust" {
  for_each = {
    reader    = { test = "StringLike", subjects = local.reader_subjects }
    publisher = { test = var.publish_environment == null ? "StringLike" : "StringEquals", subjects = local.publisher_subjects }
  }

  statement {
    sid     = "GitHubActionsOfTheListedRepositories"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = each.value.test
      variable = "token.actions.githubusercontent.com:sub"
      values   = each.value.subjects
    }
  }
}

data "aws_iam_policy_document" "reader" {
  statement {
    sid       = "TokenForTheDomain"
    actions   = ["codeartifact:GetAuthorizationToken"]
    resources = [local.domain_arn]
  }

  statement {
    sid       = "EndpointAndPackagesOfTheInternalStore"
    actions   = ["codeartifact:GetRepositoryEndpoint", "codeartifact:ReadFromRepository"]
    resources = [local.internal_store_arn]
  }

  # download-generic lists versions and assets before it reads them.
  statement {
    sid = "GenericDownloadsFromTheInternalStore"
    actions = [
      "codeartifact:ListPackageVersions",
      "codeartifact:DescribePackageVersion",
      "codeartifact:ListPackageVersionAssets",
      "codeartifact:ReadFromRepository",
    ]
    resources = ["${local.internal_packages}/generic/*"]
  }

  statement {
    sid       = "BearerTokenForCodeArtifactOnly"
    actions   = ["sts:GetServiceBearerToken"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "sts:AWSServiceName"
      values   = ["codeartifact.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "publisher" {
  for_each = { for format, publisher in local.publishers : format => publisher if contains(var.publisher_formats, format) }

  dynamic "statement" {
    for_each = each.value.uses_tool_tokens ? [1] : []
    content {
      sid       = "TokenForTheDomain"
      actions   = ["codeartifact:GetAuthorizationToken"]
      resources = [local.domain_arn]
    }
  }

  dynamic "statement" {
    for_each = each.value.uses_tool_tokens ? [1] : []
    content {
      sid       = "EndpointAndPackagesOfTheRepository"
      actions   = ["codeartifact:GetRepositoryEndpoint", "codeartifact:ReadFromRepository"]
      resources = [each.value.repository_arn]
    }
  }

  statement {
    sid       = "PublishPackages"
    actions   = each.value.package_actions
    resources = [each.value.package_arn]
  }

  dynamic "statement" {
    for_each = each.value.uses_tool_tokens ? [1] : []
    content {
      sid       = "BearerTokenForCodeArtifactOnly"
      actions   = ["sts:GetServiceBearerToken"]
      resources = ["*"]

      condition {
        test     = "StringEquals"
        variable = "sts:AWSServiceName"
        values   = ["codeartifact.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role" "reader" {
  name                 = "${var.role_name_prefix}-reader"
  description          = "Reads packages from ${local.stores.internal} (setup-codeartifact, download-generic)"
  assume_role_policy   = data.aws_iam_policy_document.trust["reader"].json
  max_session_duration = var.max_session_duration
  tags                 = var.tags
}

resource "aws_iam_role_policy" "reader" {
  name   = "codeartifact-read"
  role   = aws_iam_role.reader.id
  policy = data.aws_iam_policy_document.reader.json
}

resource "aws_iam_role" "publisher" {
  for_each = data.aws_iam_policy_document.publisher

  name                 = "${var.role_name_prefix}-publish-${each.key}"
  description          = "Publishes ${each.key} packages (publish-${each.key == "pypi" ? "python" : each.key})"
  assume_role_policy   = data.aws_iam_policy_document.trust["publisher"].json
  max_session_duration = var.max_session_duration
  tags                 = var.tags
}

resource "aws_iam_role_policy" "publisher" {
  for_each = data.aws_iam_policy_document.publisher

  name   = "codeartifact-publish-${each.key}"
  role   = aws_iam_role.publisher[each.key].id
  policy = each.value.json
}
