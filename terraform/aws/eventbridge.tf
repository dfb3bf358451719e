# EventBridge rules on the default bus: S3 Object Created targets the data queue, the others the
# trigger queue (so that a storm of new objects never delays an alert). The message body the service
# receives is the EventBridge event itself (source, detail-type, resources, detail).

# ---- New data: S3 Object Created under the data prefix ---------------------------------------------------

# Turns on the bucket's delivery of all its events to EventBridge (the rule below picks Object Created
# under the prefix). See manage_bucket_notification: this resource owns the bucket's whole notification
# configuration.
resource "aws_s3_bucket_notification" "data" {
  count = var.manage_bucket_notification ? 1 : 0

  bucket      = var.data_bucket_name
  eventbridge = true
}

resource "aws_cloudwatch_event_rule" "data_arrival" {
  name        = "${var.name_prefix}-${var.pipeline_name}-data-arrival"
  description = "New objects under s3://${var.data_bucket_name}/${var.data_key_prefix} -> ${var.data_queue_name}"

  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = { name = [var.data_bucket_name] }
      object = { key = [{ prefix = var.data_key_prefix }] }
    }
  })
}

# ---- Drift: state changes of the Model Monitor drift alarms (ALARM = drift, OK = resolved) ----------

resource "aws_cloudwatch_event_rule" "drift_alarm" {
  name        = "${var.name_prefix}-${var.pipeline_name}-drift-alarm"
  description = "State changes of the drift alarms ${local.drift_alarm_name_prefix}-* -> ${var.queue_name}"

  event_pattern = jsonencode({
    source        = ["aws.cloudwatch"]
    "detail-type" = ["CloudWatch Alarm State Change"]
    resources     = [for a in values(aws_cloudwatch_metric_alarm.drift) : a.arn]
    detail = {
      state = { value = ["ALARM", "OK"] }
    }
  })
}

# ---- Training pipeline execution status (SUBMITTED launches learn their outcome) ---------------------

resource "aws_cloudwatch_event_rule" "pipeline_status" {
  name        = "${var.name_prefix}-${var.pipeline_name}-pipeline-status"
  description = "Execution status changes of SageMaker pipeline ${var.sagemaker_pipeline_name} -> ${var.queue_name}"

  event_pattern = jsonencode({
    source        = ["aws.sagemaker"]
    "detail-type" = ["SageMaker Model Building Pipeline Execution Status Change"]
    detail = {
      pipelineArn = [local.sagemaker_pipeline_arn]
    }
  })
}

# ---- Schedule: the periodic training tick ------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "schedule" {
  count = var.schedule_expression == null ? 0 : 1

  name                = local.schedule_rule_name
  description         = "Scheduled training of ${var.pipeline_name} -> ${var.queue_name}"
  schedule_expression = var.schedule_expression
}

# ---- Targets: the trigger queue, with retries and the dead-letter queue --------------------------------

resource "aws_cloudwatch_event_target" "trigger_queue" {
  for_each = local.queue_rules

  rule      = each.value.name
  target_id = "trigger-queue"
  arn       = aws_sqs_queue.trigger.arn

  retry_policy {
    maximum_event_age_in_seconds = var.event_target_max_age_seconds
    maximum_retry_attempts       = var.event_target_max_retries
  }

  dead_letter_config {
    arn = aws_sqs_queue.trigger_dlq.arn
  }

  depends_on = [aws_sqs_queue_policy.trigger, aws_sqs_queue_policy.trigger_dlq]
}

# ---- Targets: the data queue (S3 notifications), with the same retries and dead-letter queue ---------

resource "aws_cloudwatch_event_target" "data_queue" {
  for_each = local.data_queue_rules

  rule      = each.value.name
  target_id = "data-queue"
  arn       = aws_sqs_queue.data.arn

  retry_policy {
    maximum_event_age_in_seconds = var.event_target_max_age_seconds
    maximum_retry_attempts       = var.event_target_max_retries
  }

  dead_letter_config {
    arn = aws_sqs_queue.trigger_dlq.arn
  }

  depends_on = [aws_sqs_queue_policy.data, aws_sqs_queue_policy.trigger_dlq]
}

# ---- The decisions bus: the audit sink (retrain.audit.uri) ---------------------------------------------------

resource "aws_cloudwatch_event_bus" "decisions" {
  name = var.decisions_bus_name
}

# Keeps every decision event for replay and audit.
resource "aws_cloudwatch_event_archive" "decisions" {
  count = var.decisions_archive_retention_days == null ? 0 : 1

  name             = "${var.decisions_bus_name}-archive"
  description      = "Decisions of retrain-trigger (${var.audit_detail_type})"
  event_source_arn = aws_cloudwatch_event_bus.decisions.arn
  retention_days   = var.decisions_archive_retention_days

  event_pattern = jsonencode({
    source        = [var.audit_event_source]
    "detail-type" = [var.audit_detail_type]
  })
}
