data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  partition  = data.aws_partition.current.partition
  stores     = var.repository_names

  # Each format's store and the public registry it fetches from.
  external_connections = {
    pypi  = "public:pypi"
    npm   = "public:npmjs"
    maven = "public:maven-central"
  }

  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : var.oidc_provider_arn
}

# GitHub's OIDC issuer; IAM no longer needs a thumbprint for it, so none is pinned.
resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 1 : 0

  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
  tags           = var.tags
}

resource "aws_codeartifact_domain" "this" {
  domain = var.domain_name
  tags   = var.tags
}

resource "aws_codeartifact_repository" "format_store" {
  for_each = local.external_connections

  domain      = aws_codeartifact_domain.this.domain
  repository  = local.stores[each.key]
  description = "${each.key} packages fetched from ${each.value}"
  tags        = var.tags

  external_connections {
    external_connection_name = each.value
  }
}

resource "aws_codeartifact_repository" "generic_store" {
  domain      = aws_codeartifact_domain.this.domain
  repository  = local.stores.generic
  description = "Binaries and archives published as generic packages"
  tags        = var.tags
}

# What builds read from: own packages plus everything the stores above hold, in this order.
resource "aws_codeartifact_repository" "internal_store" {
  domain      = aws_codeartifact_domain.this.domain
  repository  = local.stores.internal
  description = "Own packages, with the format stores and the generic store as upstreams"
  tags        = var.tags

  dynamic "upstream" {
    for_each = ["pypi", "npm", "maven"]
    content {
      repository_name = aws_codeartifact_repository.format_store[upstream.value].repository
    }
  }

  upstream {
    repository_name = aws_codeartifact_repository.generic_store.repository
  }
}

data "aws_iam_policy_document" "domain" {
  count = var.organization_id == null ? 0 : 1

  statement {
    sid    = "AccountsOfTheOrganizationGetTokensAndListRepositories"
    effect = "Allow"
    actions = [
      "codeartifact:GetAuthorizationToken",
      "codeartifact:DescribeDomain",
      "codeartifact:ListRepositoriesInDomain",
      "sts:GetServiceBearerToken",
    ]
    resources = ["*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }
  }
}

resource "aws_codeartifact_domain_permissions_policy" "this" {
  count = var.organization_id == null ? 0 : 1

  domain          = aws_codeartifact_domain.this.domain
  policy_document = data.aws_iam_policy_document.domain[0].json
}

data "aws_iam_policy_document" "internal_store" {
  count = var.organization_id == null ? 0 : 1

  statement {
    sid    = "AccountsOfTheOrganizationRead"
    effect = "Allow"
    actions = [
      "codeartifact:DescribeRepository",
      "codeartifact:GetRepositoryEndpoint",
      "codeartifact:ListPackages",
      "codeartifact:ListPackageVersions",
      "codeartifact:DescribePackageVersion",
      "codeartifact:ListPackageVersionAssets",
      "codeartifact:ReadFromRepository",
    ]
    resources = ["*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }
  }

  statement {
    sid    = "OnlyTheOwningAccountPublishes"
    effect = "Allow"
    actions = [
      "codeartifact:PublishPackageVersion",
      "codeartifact:PutPackageMetadata",
      "codeartifact:UpdatePackageVersionsStatus",
    ]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

resource "aws_codeartifact_repository_permissions_policy" "internal_store" {
  count = var.organization_id == null ? 0 : 1

  domain          = aws_codeartifact_domain.this.domain
  repository      = aws_codeartifact_repository.internal_store.repository
  policy_document = data.aws_iam_policy_document.internal_store[0].json
}
