# One output per application property key, named after it: retrain.x.y-z -> retrain_x_y_z.
# Give each to the container as an environment variable (upper case: RETRAIN_X_Y_Z) or as a line of
# config/application.properties; see the table in README.md. TerraformAwsTest checks that every
# output name is a key of the application.

output "retrain_aws_region" {
  description = "retrain.aws.region: region of every AWS client."
  value       = var.region
}

output "retrain_sources_aws_enabled" {
  description = "retrain.sources.aws.enabled: consume the trigger and data queues."
  value       = true
}

output "retrain_sources_aws_queue" {
  description = "retrain.sources.aws.queue: the trigger queue (drift alarms, pipeline status, schedule, SNS)."
  value       = aws_sqs_queue.trigger.name
}

output "retrain_sources_aws_data_queue" {
  description = "retrain.sources.aws.data-queue: the data queue (S3 Object Created), consumed by a route of its own."
  value       = aws_sqs_queue.data.name
}

output "retrain_sources_aws_visibility_timeout" {
  description = "retrain.sources.aws.visibility-timeout: seconds, the queues' own visibility timeout (the same on both)."
  value       = aws_sqs_queue.trigger.visibility_timeout_seconds
}

output "retrain_sources_aws_wait_time_seconds" {
  description = "retrain.sources.aws.wait-time-seconds: long polling, the queues' receive wait time (the same on both)."
  value       = aws_sqs_queue.trigger.receive_wait_time_seconds
}

output "retrain_store_kind" {
  description = "retrain.store.kind: the DynamoDB state store."
  value       = "dynamodb"
}

output "retrain_store_dynamodb_table_prefix" {
  description = "retrain.store.dynamodb.table-prefix: prefix of the state store's tables."
  value       = var.dynamodb_table_prefix
}

output "retrain_notify_uri" {
  description = "retrain.notify.uri: Camel endpoint of drift notifications and reviews, the SNS topic by ARN (no sns:ListTopics needed)."
  value       = local.application_properties["retrain.notify.uri"]
}

output "retrain_audit_uri" {
  description = "retrain.audit.uri: Camel endpoint of every decision, PutEvents on the decisions bus (the audit route sets source, detail type and resources from retrain.audit.*)."
  value       = local.application_properties["retrain.audit.uri"]
}

output "retrain_audit_source" {
  description = "retrain.audit.source: source of the decision events (the role may put no other)."
  value       = var.audit_event_source
}

output "retrain_audit_detail_type" {
  description = "retrain.audit.detail-type: detail type of the decision events (the role may put no other)."
  value       = var.audit_detail_type
}

output "retrain_audit_resources" {
  description = "retrain.audit.resources: resources of a decision event that has no execution ARN: the training pipeline's ARN."
  value       = local.application_properties["retrain.audit.resources"]
}

output "retrain_pipelines" {
  description = "retrain.pipelines.*: the keys of pipeline var.pipeline_name that this module determines, as '<NAME>.<key>' => value (retrain.pipelines.<NAME>.<key>)."
  value = {
    for k, v in local.application_properties :
    trimprefix(k, "retrain.pipelines.") => v if startswith(k, "retrain.pipelines.")
  }
}

# ---- Not a property: what deploying the container needs besides its configuration ------------------

locals {
  application_properties = merge(
    {
      "retrain.aws.region"                     = var.region
      "retrain.sources.aws.enabled"            = "true"
      "retrain.sources.aws.queue"              = aws_sqs_queue.trigger.name
      "retrain.sources.aws.data-queue"         = aws_sqs_queue.data.name
      "retrain.sources.aws.visibility-timeout" = tostring(aws_sqs_queue.trigger.visibility_timeout_seconds)
      "retrain.sources.aws.wait-time-seconds"  = tostring(aws_sqs_queue.trigger.receive_wait_time_seconds)
      "retrain.store.kind"                     = "dynamodb"
      "retrain.store.dynamodb.table-prefix"    = var.dynamodb_table_prefix
      "retrain.notify.uri"                     = "aws2-sns:${aws_sns_topic.notifications.arn}?region=${var.region}&useDefaultCredentialsProvider=true"
      "retrain.audit.uri"                      = "aws2-eventbridge://${aws_cloudwatch_event_bus.decisions.name}?operation=putEvent"
      "retrain.audit.source"                   = var.audit_event_source
      "retrain.audit.detail-type"              = var.audit_detail_type
      "retrain.audit.resources"                = local.sagemaker_pipeline_arn
    },
    {
      for k, v in {
        "target"                      = "sagemaker"
        "data-sources"                = "s3://${var.data_bucket_name}/${var.data_key_prefix}"
        "monitors"                    = join(",", concat(local.drift_alarm_names, ["sagemaker-endpoint:${var.endpoint_name}"]))
        "schedule-sources"            = var.schedule_expression == null ? "" : aws_cloudwatch_event_rule.schedule[0].name
        "sagemaker.pipeline-name"     = var.sagemaker_pipeline_name
        "sagemaker.monitoring-s3-uri" = "s3://${local.monitoring_bucket}/${var.monitoring_prefix}"
        "sagemaker.manifest-s3-uri"   = "s3://${local.manifests_bucket}/${var.manifests_prefix}"
      } : "retrain.pipelines.${var.pipeline_name}.${k}" => v if v != ""
    }
  )
}

output "deployment" {
  description = "Not an application property: the role to run the container with, the resources to watch, and the whole configuration as container environment and as application.properties text."
  value = {
    service_role_arn          = aws_iam_role.service.arn
    service_role_name         = aws_iam_role.service.name
    trigger_queue_url         = aws_sqs_queue.trigger.id
    trigger_queue_arn         = aws_sqs_queue.trigger.arn
    data_queue_url            = aws_sqs_queue.data.id
    data_queue_arn            = aws_sqs_queue.data.arn
    dead_letter_queue_url     = aws_sqs_queue.trigger_dlq.id
    notification_topic_arn    = aws_sns_topic.notifications.arn
    decisions_bus_arn         = aws_cloudwatch_event_bus.decisions.arn
    drift_alarm_arns          = { for f, a in aws_cloudwatch_metric_alarm.drift : f => a.arn }
    sagemaker_pipeline_arn    = local.sagemaker_pipeline_arn
    dashboard_name            = aws_cloudwatch_dashboard.service.dashboard_name
    container_environment     = { for k, v in local.application_properties : upper(replace(replace(k, ".", "_"), "-", "_")) => v }
    application_properties    = join("\n", [for k in sort(keys(local.application_properties)) : "${k}=${local.application_properties[k]}"])
  }
}
