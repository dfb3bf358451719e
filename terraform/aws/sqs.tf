# Two queues, each consumed by its own route of the service (retrain.sources.aws.*), so that alerts never
# wait behind a storm of data: the trigger queue (retrain.sources.aws.queue) gets the drift alarms, the
# pipeline status and the schedule (EventBridge) and the optional SNS topics; the data queue
# (retrain.sources.aws.data-queue) gets the S3 Object Created notifications. Same settings for both:
# the service long-polls them and deletes a message only after recording it. One dead-letter queue.

resource "aws_sqs_queue" "trigger_dlq" {
  name                      = local.dead_letter_queue_name
  message_retention_seconds = var.dead_letter_retention_seconds
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "trigger" {
  name                       = var.queue_name
  visibility_timeout_seconds = var.visibility_timeout_seconds
  receive_wait_time_seconds  = var.receive_wait_time_seconds
  message_retention_seconds  = var.message_retention_seconds
  # SSE with SQS-owned keys: EventBridge and SNS can send to it without a KMS key policy.
  sqs_managed_sse_enabled = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.trigger_dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
}

resource "aws_sqs_queue" "data" {
  name                       = var.data_queue_name
  visibility_timeout_seconds = var.visibility_timeout_seconds
  receive_wait_time_seconds  = var.receive_wait_time_seconds
  message_retention_seconds  = var.message_retention_seconds
  # SSE with SQS-owned keys: EventBridge can send to it without a KMS key policy.
  sqs_managed_sse_enabled = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.trigger_dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
}

# Only the two queues may use the dead-letter queue (a separate resource: the queues refer to each other).
resource "aws_sqs_queue_redrive_allow_policy" "trigger_dlq" {
  queue_url = aws_sqs_queue.trigger_dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.trigger.arn, aws_sqs_queue.data.arn]
  })
}

data "aws_iam_policy_document" "trigger_queue" {
  source_policy_documents = [data.aws_iam_policy_document.tls_only["trigger"].json]

  statement {
    sid       = "EventBridgeRules"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.trigger.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = local.queue_rule_arns
    }
  }

  statement {
    sid       = "SnsTopics"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.trigger.arn]

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = concat([aws_sns_topic.notifications.arn], var.sns_source_topic_arns)
    }
  }
}

resource "aws_sqs_queue_policy" "trigger" {
  queue_url = aws_sqs_queue.trigger.id
  policy    = data.aws_iam_policy_document.trigger_queue.json
}

# The data queue: only the S3 rule (local.data_queue_rules) may send; no SNS topic.
data "aws_iam_policy_document" "data_queue" {
  source_policy_documents = [data.aws_iam_policy_document.tls_only["data"].json]

  statement {
    sid       = "EventBridgeRules"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.data.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = local.data_queue_rule_arns
    }
  }
}

resource "aws_sqs_queue_policy" "data" {
  queue_url = aws_sqs_queue.data.id
  policy    = data.aws_iam_policy_document.data_queue.json
}

# Events that EventBridge could not deliver to either queue (after its retries) land in the
# dead-letter queue too, so a signal is never dropped silently.
data "aws_iam_policy_document" "trigger_dlq" {
  source_policy_documents = [data.aws_iam_policy_document.tls_only["trigger_dlq"].json]

  statement {
    sid       = "EventBridgeRuleDeadLetters"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.trigger_dlq.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = concat(local.queue_rule_arns, local.data_queue_rule_arns)
    }
  }
}

resource "aws_sqs_queue_policy" "trigger_dlq" {
  queue_url = aws_sqs_queue.trigger_dlq.id
  policy    = data.aws_iam_policy_document.trigger_dlq.json
}

# Further SNS topics whose messages should reach the queue. The notification topic of this module is
# not subscribed: the service publishes its own notifications there (it would read them back), and the
# drift alarm's state changes already arrive through EventBridge (SNS would deliver each one a second
# time: the service counts it once, by alarm name and change time, but the message is sent and read twice).
resource "aws_sns_topic_subscription" "trigger_queue" {
  for_each = toset(var.sns_source_topic_arns)

  topic_arn            = each.value
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.trigger.arn
  raw_message_delivery = var.sns_raw_message_delivery
}

# Every queue refuses requests that do not come over TLS: one statement, merged into each queue's policy.
data "aws_iam_policy_document" "tls_only" {
  for_each = {
    trigger     = aws_sqs_queue.trigger.arn
    data        = aws_sqs_queue.data.arn
    trigger_dlq = aws_sqs_queue.trigger_dlq.arn
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [each.value]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
