# Offline: the provider never reaches AWS (planning creates nothing, the account data is overridden),
# and the roles' policies are compared with the documents in docs/iam.
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAOFFLINEPLANONLY0"
  secret_key                  = "offline-plan-only"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "111122223333" }
}

override_data {
  target = data.aws_region.current
  values = { name = "us-east-1" }
}

override_data {
  target = data.aws_partition.current
  values = { partition = "aws" }
}

# An existing provider, so the trust documents are known at plan time.
variables {
  domain_name          = "security-tools"
  github_repositories  = ["acme/app"]
  create_oidc_provider = false
  oidc_provider_arn    = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
}

run "the_oidc_provider_is_github_for_sts" {
  command = plan

  variables {
    create_oidc_provider = true
    oidc_provider_arn    = null
  }

  assert {
    condition     = aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com" && aws_iam_openid_connect_provider.github[0].client_id_list == toset(["sts.amazonaws.com"])
    error_message = "The OIDC provider must be GitHub's issuer with the sts.amazonaws.com audience."
  }
}

run "policies_match_the_documents" {
  command = plan

  assert {
    condition     = toset(flatten([for s in jsondecode(data.aws_iam_policy_document.reader.json).Statement : s.Action])) == toset(concat(flatten([for s in jsondecode(file("../../docs/iam/read-only.json")).Statement : s.Action]), flatten([for s in jsondecode(file("../../docs/iam/download-generic.json")).Statement : s.Action])))
    error_message = "The reader role's actions differ from docs/iam/read-only.json plus download-generic.json."
  }

  assert {
    condition = alltrue([
      for format, doc in { pypi = "publish-python", maven = "publish-maven", npm = "publish-npm", generic = "publish-generic" } :
      toset(flatten([for s in jsondecode(data.aws_iam_policy_document.publisher[format].json).Statement : s.Action])) == toset(flatten([for s in jsondecode(file("../../docs/iam/${doc}.json")).Statement : s.Action]))
    ])
    error_message = "A publisher role's actions differ from its docs/iam/publish-<format>.json."
  }

  assert {
    condition     = jsondecode(data.aws_iam_policy_document.trust["publisher"].json).Statement[0].Condition.StringLike["token.actions.githubusercontent.com:sub"] == "repo:acme/app:ref:refs/tags/v*"
    error_message = "Publishers must trust v* tag pushes of the listed repositories only."
  }

  assert {
    condition     = jsondecode(data.aws_iam_policy_document.trust["publisher"].json).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    error_message = "Trust must require the sts.amazonaws.com audience."
  }

  assert {
    condition     = [for u in aws_codeartifact_repository.internal_store.upstream : u.repository_name] == ["pip-store", "npm-store", "maven-store", "generic-store"]
    error_message = "internal-store must have the format stores and the generic store as upstreams, in that order."
  }

  assert {
    condition     = { for f, r in aws_codeartifact_repository.format_store : f => one(r.external_connections).external_connection_name } == { pypi = "public:pypi", npm = "public:npmjs", maven = "public:maven-central" }
    error_message = "Each format store must have its public external connection."
  }
}

run "an_environment_replaces_tag_trust" {
  command = plan

  variables {
    publish_environment = "release"
  }

  assert {
    condition     = jsondecode(data.aws_iam_policy_document.trust["publisher"].json).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == "repo:acme/app:environment:release"
    error_message = "With publish_environment, publishers trust that environment's jobs only."
  }
}

run "a_wildcard_repository_is_refused" {
  command = plan

  variables {
    github_repositories = ["acme/*"]
  }

  expect_failures = [var.github_repositories]
}

run "an_existing_provider_is_used_as_is" {
  command = plan

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0 && output.oidc_provider_arn == var.oidc_provider_arn
    error_message = "With create_oidc_provider = false no provider is created and the given one is trusted."
  }
}
