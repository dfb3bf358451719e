# The service's role: exactly what retrain-trigger calls, on exactly these resources.
#
# No iam:PassRole: the service only calls StartPipelineExecution, which takes no role. The SageMaker
# pipeline runs under the role set on the pipeline itself (CreatePipeline/UpdatePipeline, which need
# PassRole, are done by whoever deploys the pipeline, not by this service).

# ---- Trust policy ---------------------------------------------------------------------------------------

data "aws_iam_policy_document" "assume_ecs" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    # Confused-deputy protection: only ECS tasks of this account.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ecs:${var.region}:${local.account_id}:*"]
    }
  }
}

data "aws_iam_policy_document" "assume_eks_pod_identity" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "assume_eks_irsa" {
  count = var.workload_identity == "eks-irsa" ? 1 : 0

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.eks_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.eks_namespace}:${var.eks_service_account}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

locals {
  # oidc.eks.<region>.amazonaws.com/id/<id>, from the provider's ARN.
  oidc_issuer = var.eks_oidc_provider_arn == null ? "" : element(split(":oidc-provider/", var.eks_oidc_provider_arn), 1)

  assume_role_policy = coalesce(
    var.assume_role_policy_json,
    var.workload_identity == "ecs" ? data.aws_iam_policy_document.assume_ecs.json : (
      var.workload_identity == "eks-pod-identity" ? data.aws_iam_policy_document.assume_eks_pod_identity.json
      : one(data.aws_iam_policy_document.assume_eks_irsa[*].json)
    )
  )
}

resource "aws_iam_role" "service" {
  name                 = local.role_name
  description          = "retrain-trigger: consumes ${var.queue_name} and ${var.data_queue_name}, keeps its state in DynamoDB, starts ${var.sagemaker_pipeline_name}"
  assume_role_policy   = local.assume_role_policy
  permissions_boundary = var.permissions_boundary_arn

  lifecycle {
    precondition {
      condition     = var.workload_identity != "eks-irsa" || var.eks_oidc_provider_arn != null || var.assume_role_policy_json != null
      error_message = "workload_identity = eks-irsa needs eks_oidc_provider_arn."
    }
  }
}

# ---- Permissions ------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "service" {
  # The two queues it consumes only (trigger and data): receive, delete after recording, extend
  # visibility, read attributes.
  statement {
    sid    = "ConsumedQueues"
    effect = "Allow"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
    ]
    resources = [aws_sqs_queue.trigger.arn, aws_sqs_queue.data.arn]
  }

  # Model Monitor reports: list and read below the monitoring prefix.
  statement {
    sid       = "ListMonitoringReports"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${local.monitoring_bucket}"]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.monitoring_prefix}*"]
    }
  }

  statement {
    sid       = "ReadMonitoringReports"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["arn:${local.partition}:s3:::${local.monitoring_bucket}/${var.monitoring_prefix}*"]
  }

  # Manifests of long object lists, handed to the training pipeline.
  statement {
    sid       = "WriteManifests"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["arn:${local.partition}:s3:::${local.manifests_bucket}/${var.manifests_prefix}*"]
  }

  # The training pipeline only.
  statement {
    sid       = "StartTrainingPipeline"
    effect    = "Allow"
    actions   = ["sagemaker:StartPipelineExecution"]
    resources = [local.sagemaker_pipeline_arn]
  }

  # The state store's tables and their indexes only.
  statement {
    sid       = "StateStore"
    effect    = "Allow"
    actions   = local.dynamodb_actions
    resources = local.dynamodb_resource_arns
  }

  # Decisions to the decisions bus, with our source and detail type only.
  statement {
    sid       = "AuditDecisions"
    effect    = "Allow"
    actions   = ["events:PutEvents"]
    resources = [aws_cloudwatch_event_bus.decisions.arn]

    condition {
      test     = "StringEquals"
      variable = "events:source"
      values   = [var.audit_event_source]
    }

    condition {
      test     = "StringEquals"
      variable = "events:detail-type"
      values   = [var.audit_detail_type]
    }
  }

  # Notifications and reviews.
  statement {
    sid       = "Notify"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.notifications.arn]
  }

  # SSE-KMS buckets (reports read, manifests written).
  dynamic "statement" {
    for_each = length(var.s3_kms_key_arns) > 0 ? [1] : []

    content {
      sid       = "BucketKeys"
      effect    = "Allow"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = var.s3_kms_key_arns

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${var.region}.amazonaws.com"]
      }
    }
  }

  # Customer managed key of the tables.
  dynamic "statement" {
    for_each = var.dynamodb_kms_key_arn == null ? [] : [1]

    content {
      sid       = "TableKey"
      effect    = "Allow"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
      resources = [var.dynamodb_kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${var.region}.amazonaws.com"]
      }
    }
  }

  # Customer managed key of the notification topic (publishing to an SSE topic needs the key).
  dynamic "statement" {
    for_each = var.notification_topic_kms_key_arn == null ? [] : [1]

    content {
      sid       = "TopicKey"
      effect    = "Allow"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
      resources = [var.notification_topic_kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["sns.${var.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "service" {
  name   = "${local.role_name}-permissions"
  role   = aws_iam_role.service.id
  policy = data.aws_iam_policy_document.service.json
}
