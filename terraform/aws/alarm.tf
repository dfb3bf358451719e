# ---- SNS topic: drift notifications, human reviews (retrain.notify.uri), drift alarm actions ----------

resource "aws_sns_topic" "notifications" {
  name              = var.notification_topic_name
  kms_master_key_id = var.notification_topic_kms_key_arn
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.notification_emails)

  topic_arn = aws_sns_topic.notifications.arn
  protocol  = "email"
  endpoint  = each.value
}

# ---- The Model Monitor drift alarms -------------------------------------------------------------------
#
# A data quality monitoring schedule with CloudWatch metrics enabled publishes, after each run, one
# metric per feature: feature_baseline_drift_<feature> (the feature's distance from the baseline), in
# namespace aws/sagemaker/Endpoints/data-metrics with dimensions Endpoint and MonitoringSchedule.
# One alarm per watched feature, so that the alarm's metric names the feature: the service's alarm
# parser turns feature_baseline_drift_<feature> into feature <feature> with the crossing datapoint as
# its score, and grades it (per-feature thresholds of retrain.pipelines.NAME.drift.features.* apply).
# Actions notify the topic; state changes also reach the trigger queue through EventBridge (rule
# drift_alarm): ALARM is a drift alert, OK resolves it.

resource "aws_cloudwatch_metric_alarm" "drift" {
  for_each = toset(var.drift_features)

  alarm_name        = "${local.drift_alarm_name_prefix}-${each.key}"
  alarm_description = "Model Monitor baseline drift of feature ${each.key} on ${var.endpoint_name} >= ${lookup(var.drift_feature_thresholds, each.key, var.drift_threshold)}: retrain-trigger pipeline ${var.pipeline_name}"

  namespace   = var.drift_metric_namespace
  metric_name = "feature_baseline_drift_${each.key}"
  dimensions = {
    Endpoint           = var.endpoint_name
    MonitoringSchedule = var.monitoring_schedule_name
  }
  statistic = "Maximum"
  period    = var.drift_alarm_period_seconds

  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = lookup(var.drift_feature_thresholds, each.key, var.drift_threshold)
  evaluation_periods  = var.drift_alarm_evaluation_periods
  datapoints_to_alarm = var.drift_alarm_evaluation_periods
  treat_missing_data  = var.drift_alarm_treat_missing_data

  alarm_actions = [aws_sns_topic.notifications.arn]
  ok_actions    = [aws_sns_topic.notifications.arn]
}
