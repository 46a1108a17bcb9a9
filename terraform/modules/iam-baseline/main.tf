# IAM baseline of one member account (Phase 1, human roles completed in Phase 5): the Terraform
# execution role (assumed by CI and administrators, optionally with an external id / MFA), the CI
# role and its cross-account assume-role policy, the EKS admin role, and the developer and audit
# roles (read-only in AWS). Every human role is trusted the same way: IAM principals with MFA,
# Identity Center roles by aws:PrincipalArn. 30-eks-cluster access entries take eks_admin_role_arn
# (cluster admin), developer_role_arn (edit in the application namespaces, view elsewhere),
# audit_role_arn (view) and ci_role_arn (never cluster admin).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  partition      = data.aws_partition.current.partition
  account_id     = data.aws_caller_identity.current.account_id
  execution_name = "${var.name_prefix}-terraform-execution"
  execution_arn  = "arn:${local.partition}:iam::${local.account_id}:role/${local.execution_name}"
  ci_name        = "${var.name_prefix}-ci"
  # Built from the name (the execution role depends_on the CI role, so IAM sees the principal),
  # which keeps the execution trust policy known at plan time: reviewable, and testable.
  ci_arn = "arn:${local.partition}:iam::${local.account_id}:role/${local.ci_name}"
  # Who runs Terraform as the execution role: this account's CI role and the admins, or (multi-account)
  # the shared-services CI role only (docs/accounts.md).
  cross_account_ci = var.execution_role_ci_principal_arn != null
  execution_ci     = local.cross_account_ci ? var.execution_role_ci_principal_arn : local.ci_arn
  eks_clusters     = "arn:${local.partition}:eks:*:${local.account_id}:cluster/*"

  # IAM Identity Center (SSO) sessions come from roles that Identity Center creates under the
  # reserved path aws-reserved/sso.amazonaws.com/ (named AWSReservedSSO_<permission set>_<hash>);
  # nothing else can create roles there. Those sessions never carry aws:MultiFactorAuthPresent
  # (MFA happens at the Identity Center sign-in, enforced in its settings), so a trust statement
  # requiring the key locks SSO users out. SSO principals therefore get their own statement,
  # matched by aws:PrincipalArn (ArnLike: the hash suffix and the role's region path segment may
  # be wildcards, and the match survives a permission set being re-provisioned), while every
  # other principal keeps the MFA condition.
  sso_role_pattern = "^arn:aws[a-z-]*:iam::[0-9]{12}:role/aws-reserved/sso\\.amazonaws\\.com/"
  trusted_humans = { for k, v in {
    admin     = var.admin_principal_arns
    developer = var.developer_principal_arns
    audit     = var.audit_principal_arns
    } : k => {
    sso   = [for p in v : p if can(regex(local.sso_role_pattern, p))]
    other = [for p in v : p if !can(regex(local.sso_role_pattern, p))]
  } if length(v) > 0 }
}

# --- Terraform execution role -------------------------------------------------------------------------------

data "aws_iam_policy_document" "execution_trust" {
  statement {
    sid     = local.cross_account_ci ? "SharedServicesCiAssumes" : "CiAssumes"
    effect  = "Allow"
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "AWS"
      identifiers = [local.execution_ci]
    }
    dynamic "condition" {
      for_each = var.external_id == null ? [] : [1]
      content {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [var.external_id]
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.trusted_humans.admin.other) > 0 && !local.cross_account_ci ? [local.trusted_humans.admin.other] : []
    content {
      sid     = "AdminsAssume"
      effect  = "Allow"
      actions = ["sts:AssumeRole", "sts:TagSession"]
      principals {
        type        = "AWS"
        identifiers = statement.value
      }
      dynamic "condition" {
        for_each = var.require_mfa ? [1] : []
        content {
          test     = "Bool"
          variable = "aws:MultiFactorAuthPresent"
          values   = ["true"]
        }
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.trusted_humans.admin.sso) > 0 && !local.cross_account_ci ? [local.trusted_humans.admin.sso] : []
    content {
      sid     = "AdminsAssumeViaIdentityCenter"
      effect  = "Allow"
      actions = ["sts:AssumeRole", "sts:TagSession"]
      principals {
        type        = "AWS"
        identifiers = distinct([for p in statement.value : "arn:${local.partition}:iam::${split(":", p)[4]}:root"])
      }
      condition {
        test     = "ArnLike"
        variable = "aws:PrincipalArn"
        values   = statement.value
      }
    }
  }
}

resource "aws_iam_role" "execution" {
  name                 = local.execution_name
  description          = "Terraform/OpenTofu execution role assumed by orch (CI and administrators)."
  assume_role_policy   = data.aws_iam_policy_document.execution_trust.json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn
  tags                 = merge(var.tags, { Name = local.execution_name })

  # IAM rejects a trust policy whose principal does not exist yet.
  depends_on = [aws_iam_role.ci]
}

resource "aws_iam_role_policy_attachment" "execution" {
  #checkov:skip=CKV_AWS_274:The execution role provisions the whole platform (VPC, EKS, IAM, RDS); it is only assumable by CI and MFA admins, and a permissions boundary can narrow it.
  for_each   = toset(var.execution_policy_arns)
  role       = aws_iam_role.execution.name
  policy_arn = each.value
}

# --- CI role and the cross-account assume-role policy -------------------------------------------------------

data "aws_iam_policy_document" "ci_trust" {
  statement {
    sid     = "CiSystemAssumes"
    effect  = "Allow"
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "AWS"
      identifiers = length(var.ci_principal_arns) > 0 ? var.ci_principal_arns : ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

resource "aws_iam_role" "ci" {
  name                 = local.ci_name
  description          = "CI/CD pipeline (Jenkins): assumes the execution role and reads EKS clusters."
  assume_role_policy   = data.aws_iam_policy_document.ci_trust.json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn
  tags                 = merge(var.tags, { Name = local.ci_name })
}

data "aws_iam_policy_document" "assume_execution" {
  statement {
    sid       = "AssumeExecutionRole"
    effect    = "Allow"
    actions   = ["sts:AssumeRole", "sts:TagSession"]
    resources = [local.execution_arn]
  }
  statement {
    sid       = "ListClusters"
    effect    = "Allow"
    actions   = ["eks:ListClusters"]
    resources = ["*"]
  }
  statement {
    sid       = "DescribeClusters"
    effect    = "Allow"
    actions   = ["eks:DescribeCluster"]
    resources = [local.eks_clusters]
  }
}

resource "aws_iam_policy" "assume_execution" {
  name        = "${var.name_prefix}-assume-terraform-execution"
  description = "Cross-account assume-role policy: may assume this account's Terraform execution role."
  policy      = data.aws_iam_policy_document.assume_execution.json
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "ci_assume" {
  role       = aws_iam_role.ci.name
  policy_arn = aws_iam_policy.assume_execution.arn
}

# --- EKS admin, developer (read-only) and audit roles -------------------------------------------------------

data "aws_iam_policy_document" "human_trust" {
  for_each = local.trusted_humans

  dynamic "statement" {
    for_each = length(each.value.other) > 0 ? [each.value.other] : []
    content {
      effect  = "Allow"
      actions = ["sts:AssumeRole", "sts:TagSession"]
      principals {
        type        = "AWS"
        identifiers = statement.value
      }
      dynamic "condition" {
        for_each = var.require_mfa ? [1] : []
        content {
          test     = "Bool"
          variable = "aws:MultiFactorAuthPresent"
          values   = ["true"]
        }
      }
    }
  }

  # Identity Center sessions: see trusted_humans above.
  dynamic "statement" {
    for_each = length(each.value.sso) > 0 ? [each.value.sso] : []
    content {
      sid     = "IdentityCenterAssume"
      effect  = "Allow"
      actions = ["sts:AssumeRole", "sts:TagSession"]
      principals {
        type        = "AWS"
        identifiers = distinct([for p in statement.value : "arn:${local.partition}:iam::${split(":", p)[4]}:root"])
      }
      condition {
        test     = "ArnLike"
        variable = "aws:PrincipalArn"
        values   = statement.value
      }
    }
  }
}

data "aws_iam_policy_document" "eks_describe" {
  statement {
    sid       = "ListClusters"
    effect    = "Allow"
    actions   = ["eks:ListClusters"]
    resources = ["*"]
  }
  statement {
    sid       = "DescribeClusters"
    effect    = "Allow"
    actions   = ["eks:DescribeCluster", "eks:ListAccessEntries", "eks:DescribeAccessEntry"]
    resources = [local.eks_clusters, "arn:${local.partition}:eks:*:${local.account_id}:access-entry/*"]
  }
}

resource "aws_iam_role" "eks_admin" {
  name                 = "${var.name_prefix}-eks-admin"
  description          = "EKS cluster administrators (access entry with AmazonEKSClusterAdminPolicy)."
  assume_role_policy   = data.aws_iam_policy_document.human_trust["admin"].json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn
  tags                 = merge(var.tags, { Name = "${var.name_prefix}-eks-admin" })
}

resource "aws_iam_role_policy" "eks_admin" {
  name   = "eks-describe"
  role   = aws_iam_role.eks_admin.id
  policy = data.aws_iam_policy_document.eks_describe.json
}

# The name says what the role may do in AWS (read-only); in the cluster 30-eks-cluster gives it
# AmazonEKSEditPolicy in the application namespaces and AmazonEKSViewPolicy elsewhere.
resource "aws_iam_role" "developer" {
  count                = length(var.developer_principal_arns) > 0 ? 1 : 0
  name                 = "${var.name_prefix}-developer-readonly"
  description          = "Developers: read-only AWS access; EKS: edit in the application namespaces, view elsewhere."
  assume_role_policy   = data.aws_iam_policy_document.human_trust["developer"].json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn
  tags                 = merge(var.tags, { Name = "${var.name_prefix}-developer-readonly" })
}

resource "aws_iam_role_policy_attachment" "developer" {
  count      = length(aws_iam_role.developer)
  role       = aws_iam_role.developer[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
}

# Auditors (usually from the Organization's Audit account) are people too: the same trust as the
# other human roles (MFA, or an Identity Center permission set). In the cluster: AmazonEKSViewPolicy.
resource "aws_iam_role" "audit" {
  count                = length(var.audit_principal_arns) > 0 ? 1 : 0
  name                 = "${var.name_prefix}-audit-readonly"
  description          = "Auditors (Audit account): SecurityAudit + ReadOnlyAccess; EKS: view only."
  assume_role_policy   = data.aws_iam_policy_document.human_trust["audit"].json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn
  tags                 = merge(var.tags, { Name = "${var.name_prefix}-audit-readonly" })
}

resource "aws_iam_role_policy_attachment" "audit" {
  for_each   = length(aws_iam_role.audit) > 0 ? toset(["SecurityAudit", "ReadOnlyAccess"]) : toset([])
  role       = aws_iam_role.audit[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value}"
}
