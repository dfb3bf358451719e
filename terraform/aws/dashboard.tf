# CloudWatch dashboard of the service.
#
# The service exports Prometheus metrics on /q/metrics; they reach CloudWatch through the CloudWatch
# agent's Prometheus scraping (or an ADOT collector's prometheus receiver + awsemf exporter) under
# var.metrics_namespace, with these dimension sets (see README):
#   retrain_events_total     [kind]             counters arrive as per-scrape deltas: Sum = events in the period
#   retrain_decisions_total  [outcome]
#   retrain_drift_score      [pipeline, feature] gauge: the last score
# SEARCH expressions graph one line per dimension value, whatever values appear.

locals {
  ns = var.metrics_namespace

  dashboard_widgets = [
    {
      type   = "metric"
      x      = 0
      y      = 0
      width  = 12
      height = 6
      properties = {
        title   = "Trigger events by kind"
        region  = var.region
        view    = "timeSeries"
        stacked = true
        period  = 300
        metrics = [
          [{ expression = "SEARCH('{\"${local.ns}\",kind} MetricName=\"retrain_events_total\"', 'Sum', 300)", id = "events" }]
        ]
      }
    },
    {
      type   = "metric"
      x      = 12
      y      = 0
      width  = 12
      height = 6
      properties = {
        title   = "Decisions by outcome"
        region  = var.region
        view    = "timeSeries"
        stacked = true
        period  = 300
        metrics = [
          [{ expression = "SEARCH('{\"${local.ns}\",outcome} MetricName=\"retrain_decisions_total\"', 'Sum', 300)", id = "decisions" }]
        ]
      }
    },
    {
      type   = "metric"
      x      = 0
      y      = 6
      width  = 12
      height = 6
      properties = {
        title  = "Drift score by pipeline and feature (retrain-trigger)"
        region = var.region
        view   = "timeSeries"
        period = 300
        metrics = [
          [{ expression = "SEARCH('{\"${local.ns}\",pipeline,feature} MetricName=\"retrain_drift_score\"', 'Maximum', 300)", id = "drift" }]
        ]
        annotations = {
          horizontal = [
            { label = "drift alarm (default threshold)", value = var.drift_threshold },
          ]
        }
      }
    },
    {
      type   = "metric"
      x      = 12
      y      = 6
      width  = 12
      height = 6
      properties = {
        title  = "Model Monitor baseline drift (${var.endpoint_name})"
        region = var.region
        view   = "timeSeries"
        period = var.drift_alarm_period_seconds
        stat   = "Maximum"
        metrics = [
          for f in var.drift_features : [
            var.drift_metric_namespace, "feature_baseline_drift_${f}",
            "Endpoint", var.endpoint_name, "MonitoringSchedule", var.monitoring_schedule_name,
            { label = f }
          ]
        ]
        annotations = {
          horizontal = [
            { label = "alarm threshold", value = var.drift_threshold },
          ]
        }
      }
    },
    {
      type   = "metric"
      x      = 0
      y      = 12
      width  = 12
      height = 6
      properties = {
        title  = "Trigger queue: depth and age"
        region = var.region
        view   = "timeSeries"
        period = 60
        stat   = "Maximum"
        metrics = [
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.trigger.name, { label = "visible" }],
          ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", aws_sqs_queue.trigger.name, { label = "in flight" }],
          ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", aws_sqs_queue.trigger.name, { label = "oldest (s)", yAxis = "right" }],
        ]
        annotations = {
          horizontal = [
            { label = "age alarm (s)", value = var.queue_age_alarm_seconds, yAxis = "right" },
          ]
        }
      }
    },
    {
      type   = "metric"
      x      = 12
      y      = 12
      width  = 12
      height = 6
      properties = {
        title  = "Data queue: depth and age"
        region = var.region
        view   = "timeSeries"
        period = 60
        stat   = "Maximum"
        metrics = [
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.data.name, { label = "visible" }],
          ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", aws_sqs_queue.data.name, { label = "in flight" }],
          ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", aws_sqs_queue.data.name, { label = "oldest (s)", yAxis = "right" }],
        ]
        annotations = {
          horizontal = [
            { label = "age alarm (s)", value = var.data_queue_age_alarm_seconds, yAxis = "right" },
          ]
        }
      }
    },
    {
      type   = "metric"
      x      = 0
      y      = 18
      width  = 12
      height = 6
      properties = {
        title  = "Dead-letter queue depth"
        region = var.region
        view   = "timeSeries"
        period = 60
        stat   = "Maximum"
        metrics = [
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.trigger_dlq.name, { label = "dead letters", color = "#d62728" }],
        ]
      }
    },
    {
      type   = "alarm"
      x      = 12
      y      = 18
      width  = 12
      height = 6
      properties = {
        title  = "Alarms"
        alarms = concat(
          [for a in values(aws_cloudwatch_metric_alarm.drift) : a.arn],
          [aws_cloudwatch_metric_alarm.dead_letters.arn],
          [for a in values(aws_cloudwatch_metric_alarm.queue_age) : a.arn]
        )
      }
    },
  ]
}

resource "aws_cloudwatch_dashboard" "service" {
  dashboard_name = local.dashboard_name
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}

# Anything in the dead-letter queue is a signal that was not processed: tell the team.
resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name        = "${var.name_prefix}-dead-letters"
  alarm_description = "Messages in ${local.dead_letter_queue_name}: events the service could not process after ${var.max_receive_count} receives, or EventBridge could not deliver."

  namespace   = "AWS/SQS"
  metric_name = "ApproximateNumberOfMessagesVisible"
  dimensions = {
    QueueName = aws_sqs_queue.trigger_dlq.name
  }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"

  alarm_actions = [aws_sns_topic.notifications.arn]
  ok_actions    = [aws_sns_topic.notifications.arn]
}

# A queue whose oldest message keeps growing is not being consumed (the service is down, or fails every
# message until the redrive): one alarm per consumed queue, the trigger queue's tighter than the data
# queue's (a storm of new objects may keep the data queue busy; an alert must not wait).
locals {
  consumed_queues = {
    trigger = { name = aws_sqs_queue.trigger.name, max_age_seconds = var.queue_age_alarm_seconds, carries = "drift alarms, pipeline status, schedule" }
    data    = { name = aws_sqs_queue.data.name, max_age_seconds = var.data_queue_age_alarm_seconds, carries = "S3 notifications" }
  }
}

resource "aws_cloudwatch_metric_alarm" "queue_age" {
  for_each = local.consumed_queues

  alarm_name        = "${var.name_prefix}-${each.key}-queue-age"
  alarm_description = "The oldest message in ${each.value.name} (${each.value.carries}) is older than ${each.value.max_age_seconds} s: the service is not consuming it, or fails every message."

  namespace   = "AWS/SQS"
  metric_name = "ApproximateAgeOfOldestMessage"
  dimensions = {
    QueueName = each.value.name
  }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.max_age_seconds
  treat_missing_data  = "notBreaching"

  alarm_actions = [aws_sns_topic.notifications.arn]
  ok_actions    = [aws_sns_topic.notifications.arn]
}
