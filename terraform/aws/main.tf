# The AWS side of retrain-trigger. One file per concern:
#   sqs.tf          trigger queue, data queue, dead-letter queue, queue policies, SNS subscriptions
#   eventbridge.tf  rules to the queues (S3 Object Created to the data queue; drift alarm, pipeline
#                   status, schedule to the trigger queue),
#                   S3 bucket notifications, the decisions bus
#   alarm.tf        SNS topic and the Model Monitor drift alarms (one per feature)
#   dynamodb.tf     state store tables
#   iam.tf          the service's role
#   dashboard.tf    CloudWatch dashboard
#   outputs.tf      one output per application property key

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  dead_letter_queue_name = coalesce(var.dead_letter_queue_name, "${var.queue_name}-dlq")

  monitoring_bucket = coalesce(var.monitoring_bucket_name, var.data_bucket_name)
  manifests_bucket  = coalesce(var.manifests_bucket_name, var.data_bucket_name)

  # SageMaker writes resource names in lower case in its ARNs.
  sagemaker_pipeline_arn = coalesce(
    var.sagemaker_pipeline_arn,
    "arn:${local.partition}:sagemaker:${var.region}:${local.account_id}:pipeline/${lower(var.sagemaker_pipeline_name)}"
  )

  drift_alarm_name_prefix = coalesce(var.drift_alarm_name_prefix, "${var.name_prefix}-${var.pipeline_name}-drift")
  drift_alarm_names       = [for a in values(aws_cloudwatch_metric_alarm.drift) : a.alarm_name]
  schedule_rule_name = coalesce(var.schedule_rule_name, "${var.name_prefix}-${var.pipeline_name}-schedule")
  role_name          = coalesce(var.role_name, "${var.name_prefix}-service")
  dashboard_name     = coalesce(var.dashboard_name, var.name_prefix)

  # Rules whose target is the trigger queue, and those whose target is the data queue; each queue's
  # policy allows exactly its rules, the dead-letter queue's policy all of them.
  queue_rules = merge(
    {
      drift_alarm     = aws_cloudwatch_event_rule.drift_alarm
      pipeline_status = aws_cloudwatch_event_rule.pipeline_status
    },
    var.schedule_expression == null ? {} : { schedule = aws_cloudwatch_event_rule.schedule[0] }
  )
  queue_rule_arns = [for r in values(local.queue_rules) : r.arn]

  data_queue_rules = {
    data_arrival = aws_cloudwatch_event_rule.data_arrival
  }
  data_queue_rule_arns = [for r in values(local.data_queue_rules) : r.arn]
}
