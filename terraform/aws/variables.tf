# ---- General ------------------------------------------------------------------------------------

variable "region" {
  description = "AWS region of every resource; also the application's retrain.aws.region."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the names this module makes up (rules, alarm, role, dashboard) when no explicit name is given."
  type        = string
  default     = "retrain-trigger"
}

variable "tags" {
  description = "Tags on every resource (provider default_tags)."
  type        = map(string)
  default = {
    application = "retrain-trigger"
  }
}

# ---- SQS: the queues the service consumes (retrain.sources.aws.*) --------------------------------

variable "queue_name" {
  description = "SQS queue of the drift alarms, the pipeline status, the schedule (EventBridge rules) and the SNS subscriptions. Must equal the application's retrain.sources.aws.queue."
  type        = string
  default     = "mlops-trigger-events"
}

variable "data_queue_name" {
  description = "SQS queue of the S3 Object Created notifications, consumed apart so that alerts never wait behind a storm of data (the application's retrain.sources.aws.data-queue, output retrain_sources_aws_data_queue)."
  type        = string
  default     = "mlops-trigger-data"
}

variable "dead_letter_queue_name" {
  description = "Dead-letter queue of both queues; null: <queue_name>-dlq."
  type        = string
  default     = null
}

variable "max_receive_count" {
  description = "Receives of a message before SQS moves it to the dead-letter queue (redrive policy maxReceiveCount)."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "visibility_timeout_seconds" {
  description = "Seconds a received message stays invisible. Longer than the slowest processing of one message (a large batch closing, a throttled launch with retries). The application's retrain.sources.aws.visibility-timeout must be the same (output retrain_sources_aws_visibility_timeout)."
  type        = number
  default     = 300

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be between 0 and 43200 (12 hours)."
  }
}

variable "receive_wait_time_seconds" {
  description = "Long polling: seconds a ReceiveMessage waits for messages (queue default, and the application's retrain.sources.aws.wait-time-seconds)."
  type        = number
  default     = 20

  validation {
    condition     = var.receive_wait_time_seconds >= 0 && var.receive_wait_time_seconds <= 20
    error_message = "receive_wait_time_seconds must be between 0 and 20."
  }
}

variable "message_retention_seconds" {
  description = "How long the trigger and data queues keep a message (default 4 days)."
  type        = number
  default     = 345600
}

variable "dead_letter_retention_seconds" {
  description = "How long the dead-letter queue keeps a message (default 14 days, the maximum). Keep it longer than message_retention_seconds: a standard queue keeps a message's original enqueue time when it is moved."
  type        = number
  default     = 1209600
}

variable "sns_source_topic_arns" {
  description = "Further SNS topics (e.g. an existing Model Monitor alert topic) whose messages should reach the trigger queue: each is allowed by the queue policy and subscribed. The notification topic of this module is deliberately not subscribed (see README)."
  type        = list(string)
  default     = []
}

variable "sns_raw_message_delivery" {
  description = "Raw message delivery on the subscriptions of sns_source_topic_arns (false: the SNS JSON envelope, which carries the topic ARN and MessageId)."
  type        = bool
  default     = false
}

# ---- S3: new data, Model Monitor reports, manifests ------------------------------------------------

variable "data_bucket_name" {
  description = "Existing bucket where new training data lands (its EventBridge notifications are turned on)."
  type        = string
  default     = "mlops-data-prod"
}

variable "data_key_prefix" {
  description = "Key prefix of new training data in data_bucket_name; only objects below it raise Object Created events for the pipeline."
  type        = string
  default     = "labels/"
}

variable "manage_bucket_notification" {
  description = "Manage the data bucket's notification configuration (eventbridge = true). aws_s3_bucket_notification owns the WHOLE notification configuration of the bucket: set false when other notifications of that bucket are managed elsewhere, and turn EventBridge on there."
  type        = bool
  default     = true
}

variable "monitoring_bucket_name" {
  description = "Bucket of Model Monitor reports (constraint_violations.json); null: data_bucket_name."
  type        = string
  default     = null
}

variable "monitoring_prefix" {
  description = "Key prefix under which Model Monitor writes its reports; the service may list and read below it."
  type        = string
  default     = "monitoring/"
}

variable "manifests_bucket_name" {
  description = "Bucket where the service writes manifests of long object lists; null: data_bucket_name."
  type        = string
  default     = null
}

variable "manifests_prefix" {
  description = "Key prefix dedicated to the service's manifests (it writes <prefix>manifests/<decision id>.json); the service may put objects below it."
  type        = string
  default     = "retrain-trigger/"
}

variable "s3_kms_key_arns" {
  description = "KMS keys of SSE-KMS encrypted monitoring/manifest buckets; the role gets kms:Decrypt / kms:GenerateDataKey on them. Empty: SSE-S3 buckets, no KMS statement."
  type        = list(string)
  default     = []
}

# ---- The pipeline (retrain.pipelines.NAME.*) and SageMaker -------------------------------------------

variable "pipeline_name" {
  description = "NAME of the pipeline in the application (retrain.pipelines.NAME.*): lower-case letters, digits, '-'."
  type        = string
  default     = "fraud"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]*$", var.pipeline_name))
    error_message = "pipeline_name: lower-case letters, digits and '-'."
  }
}

variable "sagemaker_pipeline_name" {
  description = "Name of the SageMaker Model Building Pipeline that the service starts (retrain.pipelines.NAME.sagemaker.pipeline-name)."
  type        = string
  default     = "training-pipeline"
}

variable "sagemaker_pipeline_arn" {
  description = "ARN of that pipeline; null: built from region, account and the name in lower case (as SageMaker writes its ARNs). Prefer the PipelineArn that `aws sagemaker describe-pipeline` prints."
  type        = string
  default     = null
}

variable "endpoint_name" {
  description = "SageMaker endpoint watched by Model Monitor (dimension Endpoint of the drift metrics)."
  type        = string
  default     = "prod-endpoint"
}

variable "monitoring_schedule_name" {
  description = "Model Monitor data quality monitoring schedule of that endpoint (dimension MonitoringSchedule of the drift metrics)."
  type        = string
  default     = "prod-endpoint-data-quality"
}

variable "drift_features" {
  description = "Features whose Model Monitor baseline drift metric (feature_baseline_drift_<feature>) is watched: one alarm each."
  type        = list(string)
  default     = ["amount"]

  validation {
    condition     = length(var.drift_features) >= 1
    error_message = "drift_features: at least one feature."
  }
}

variable "drift_metric_namespace" {
  description = "CloudWatch namespace where Model Monitor's data quality job publishes per-feature metrics for real-time endpoints."
  type        = string
  default     = "aws/sagemaker/Endpoints/data-metrics"
}

variable "drift_alarm_name_prefix" {
  description = "Drift alarms are named <prefix>-<feature>; null: <name_prefix>-<pipeline_name>-drift. The alarm names are the pipeline's monitors (retrain.pipelines.NAME.monitors)."
  type        = string
  default     = null
}

variable "drift_threshold" {
  description = "A drift alarm fires when its feature_baseline_drift_<feature> in a period is >= this. Default 0.1 = the application's medium severity: the service grades the severity itself, so the alarm should fire at the lowest grade that acts."
  type        = number
  default     = 0.1
}

variable "drift_feature_thresholds" {
  description = "Alarm thresholds of single features, overriding drift_threshold (feature => threshold)."
  type        = map(number)
  default     = {}
}

variable "drift_alarm_period_seconds" {
  description = "Period of the drift alarm; at least the monitoring schedule's interval (hourly schedules: 3600)."
  type        = number
  default     = 3600
}

variable "drift_alarm_evaluation_periods" {
  description = "Periods over which the drift alarm is evaluated."
  type        = number
  default     = 1
}

variable "drift_alarm_treat_missing_data" {
  description = "Missing data (no monitoring run in the period) is notBreaching by default: the alarm keeps its state."
  type        = string
  default     = "notBreaching"
}

variable "schedule_expression" {
  description = "EventBridge schedule of the periodic training (UTC), e.g. cron(0 2 ? * SUN *) or rate(7 days). Its tick reaches the queue; the rule's name is the pipeline's schedule-sources. null: no schedule rule."
  type        = string
  default     = "cron(0 2 ? * SUN *)"
}

variable "schedule_rule_name" {
  description = "Name of the schedule rule; null: <name_prefix>-<pipeline_name>-schedule."
  type        = string
  default     = null
}

variable "event_target_max_age_seconds" {
  description = "How long EventBridge retries delivering an event to the queue before it goes to the dead-letter queue."
  type        = number
  default     = 86400
}

variable "event_target_max_retries" {
  description = "Retries of EventBridge's delivery to the queue before the event goes to the dead-letter queue."
  type        = number
  default     = 185
}

# ---- SNS: reviews and notifications (retrain.notify.uri) ------------------------------------------

variable "notification_topic_name" {
  description = "SNS topic of drift notifications, human reviews, and the drift alarm's actions."
  type        = string
  default     = "retrain-trigger-notifications"
}

variable "notification_emails" {
  description = "E-mail addresses subscribed to the notification topic (each must confirm its subscription)."
  type        = list(string)
  default     = []
}

variable "notification_topic_kms_key_arn" {
  description = "ARN of a customer managed KMS key for the notification topic; null: no SSE. A customer managed key must allow cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey* (alarm actions), and the service role gets both on it. The AWS managed key alias/aws/sns does not work with CloudWatch alarm actions."
  type        = string
  default     = null
}

# ---- EventBridge bus of decisions (retrain.audit.uri) ----------------------------------------------

variable "decisions_bus_name" {
  description = "Custom EventBridge event bus that receives every decision (the audit sink)."
  type        = string
  default     = "retrain-trigger-decisions"
}

variable "audit_event_source" {
  description = "Source of the decision events; the role may only put events with this source."
  type        = string
  default     = "retrain-trigger"
}

variable "audit_detail_type" {
  description = "Detail type of the decision events; the role may only put events with this detail type."
  type        = string
  default     = "Training Decision"
}

variable "decisions_archive_retention_days" {
  description = "Days the archive of the decisions bus keeps events (0: indefinitely); null: no archive."
  type        = number
  default     = 365
}

# ---- DynamoDB state store (retrain.store.kind=dynamodb) ------------------------------------------------

variable "dynamodb_table_prefix" {
  description = "Prefix of the state store's table names (the application's retrain.store.dynamodb.table-prefix)."
  type        = string
  default     = "retrain-trigger-"
}

variable "dynamodb_deletion_protection" {
  description = "Deletion protection on the state store's tables."
  type        = bool
  default     = true
}

variable "dynamodb_kms_key_arn" {
  description = "Customer managed KMS key of the tables; null: the AWS owned key (default SSE). With a key, the role gets kms:Decrypt / kms:GenerateDataKey / kms:DescribeKey on it."
  type        = string
  default     = null
}

# ---- IAM role of the service ---------------------------------------------------------------------------

variable "role_name" {
  description = "Name of the service's IAM role; null: <name_prefix>-service."
  type        = string
  default     = null
}

variable "workload_identity" {
  description = "Who assumes the role: ecs (ECS task role, ecs-tasks.amazonaws.com), eks-pod-identity (pods.eks.amazonaws.com), eks-irsa (the cluster's OIDC provider, one service account)."
  type        = string
  default     = "ecs"

  validation {
    condition     = contains(["ecs", "eks-pod-identity", "eks-irsa"], var.workload_identity)
    error_message = "workload_identity: ecs, eks-pod-identity or eks-irsa."
  }
}

variable "eks_oidc_provider_arn" {
  description = "eks-irsa: ARN of the cluster's IAM OIDC provider (arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>)."
  type        = string
  default     = null
}

variable "eks_namespace" {
  description = "eks-irsa: Kubernetes namespace of the service account."
  type        = string
  default     = "retrain-trigger"
}

variable "eks_service_account" {
  description = "eks-irsa: Kubernetes service account of the pods."
  type        = string
  default     = "retrain-trigger"
}

variable "assume_role_policy_json" {
  description = "A trust policy of your own (JSON), replacing the one workload_identity makes."
  type        = string
  default     = null
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the role, if your organisation requires one."
  type        = string
  default     = null
}

# ---- CloudWatch dashboard ----------------------------------------------------------------------------

variable "dashboard_name" {
  description = "CloudWatch dashboard name; null: <name_prefix>."
  type        = string
  default     = null
}

variable "metrics_namespace" {
  description = "CloudWatch namespace under which the service's Prometheus metrics (retrain_events_total, retrain_decisions_total, retrain_drift_score) are published by the CloudWatch agent or the ADOT collector."
  type        = string
  default     = "RetrainTrigger"
}

variable "queue_age_alarm_seconds" {
  description = "Alarm when the oldest message of the trigger queue is older than this (the service is not consuming, or fails every message): alerts must not wait. Default 15 minutes."
  type        = number
  default     = 900
}

variable "data_queue_age_alarm_seconds" {
  description = "Alarm when the oldest message of the data queue is older than this. Higher than queue_age_alarm_seconds: a storm of new objects may keep the data queue busy for a while without delaying any alert. Default 1 hour."
  type        = number
  default     = 3600
}
