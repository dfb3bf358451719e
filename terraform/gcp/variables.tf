# ---- General ------------------------------------------------------------------------------------

variable "project_id" {
  description = "Google Cloud project of every resource here (topics, subscriptions, sink, policies, scheduler job, service account); also the application's retrain.gcp.project-id."
  type        = string
}

variable "region" {
  description = "Default region: Cloud Scheduler job and Vertex AI pipeline jobs (unless scheduler_region / vertex_region say otherwise)."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the names this module makes up (scheduler job, alert policies, channels) when no explicit name is given."
  type        = string
  default     = "retrain-trigger"
}

variable "labels" {
  description = "Labels on every resource that takes labels (provider default_labels)."
  type        = map(string)
  default = {
    application = "retrain-trigger"
  }
}

variable "enable_apis" {
  description = "Enable the APIs the resources need (Pub/Sub, Storage, Logging, Monitoring, Cloud Scheduler, Vertex AI, IAM). They are never disabled on destroy."
  type        = bool
  default     = true
}

# ---- Pub/Sub: the streams the service consumes (retrain.sources.gcp.*) ---------------------------

variable "events_topic_name" {
  description = "Topic of the events stream: Cloud Monitoring incidents, the Vertex AI log sink, Cloud Scheduler ticks."
  type        = string
  default     = "retrain-trigger-events"
}

variable "events_subscription_name" {
  description = "Subscription the service consumes on the events topic; one of the application's retrain.sources.gcp.subscriptions."
  type        = string
  default     = "retrain-trigger-events"
}

variable "data_topic_name" {
  description = "Topic of the data stream: Cloud Storage notifications of new objects."
  type        = string
  default     = "retrain-trigger-data"
}

variable "data_subscription_name" {
  description = "Subscription the service consumes on the data topic; one of the application's retrain.sources.gcp.subscriptions."
  type        = string
  default     = "retrain-trigger-data"
}

variable "ack_deadline_seconds" {
  description = "Seconds Pub/Sub waits for an ack before it redelivers: longer than the slowest processing of one message (a batch closing, a throttled launch with retries). The service's Pub/Sub client also extends deadlines while it works on a message."
  type        = number
  default     = 300

  validation {
    condition     = var.ack_deadline_seconds >= 10 && var.ack_deadline_seconds <= 600
    error_message = "ack_deadline_seconds must be between 10 and 600."
  }
}

variable "message_retention_duration" {
  description = "How long a stream subscription keeps an unacknowledged message (default 7 days)."
  type        = string
  default     = "604800s"
}

variable "max_delivery_attempts" {
  description = "Deliveries of a message before Pub/Sub forwards it to the stream's dead-letter topic (dead_letter_policy.max_delivery_attempts)."
  type        = number
  default     = 5

  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "max_delivery_attempts must be between 5 and 100."
  }
}

variable "retry_minimum_backoff" {
  description = "Least delay before a nacked message is delivered again (retry_policy)."
  type        = string
  default     = "10s"
}

variable "retry_maximum_backoff" {
  description = "Greatest delay before a nacked message is delivered again (retry_policy, at most 600s)."
  type        = string
  default     = "600s"
}

variable "dead_letter_suffix" {
  description = "Suffix of each stream's dead-letter topic and subscription: <subscription><suffix>."
  type        = string
  default     = "-dead-letter"
}

variable "dead_letter_retention_duration" {
  description = "How long a dead-letter subscription keeps a message (default 31 days, the maximum)."
  type        = string
  default     = "2678400s"
}

# ---- Sinks of the service ----------------------------------------------------------------------------

variable "audit_topic_name" {
  description = "Topic that receives every decision as JSON (retrain.audit.uri)."
  type        = string
  default     = "retrain-trigger-decisions"
}

variable "audit_retention_duration" {
  description = "Topic retention of the decisions (default 31 days, the maximum): a subscription created later can still read them."
  type        = string
  default     = "2678400s"
}

variable "notification_topic_name" {
  description = "Topic of drift notifications and human reviews (retrain.notify.uri), and of the dead-letter alert."
  type        = string
  default     = "retrain-trigger-notifications"
}

variable "notification_retention_duration" {
  description = "Topic retention of the notifications (default 7 days)."
  type        = string
  default     = "604800s"
}

variable "notification_emails" {
  description = "E-mail addresses the dead-letter alert notifies (one Cloud Monitoring e-mail channel each)."
  type        = list(string)
  default     = []
}

# ---- Cloud Storage: new data -----------------------------------------------------------------------------

variable "data_bucket_name" {
  description = "Existing bucket where new training data lands; it gets a notification configuration (OBJECT_FINALIZE below data_object_prefix)."
  type        = string
  default     = "mlops-data-prod"
}

variable "data_bucket_project_id" {
  description = "Project of the data bucket, whose Cloud Storage service agent publishes the notifications; null: project_id."
  type        = string
  default     = null
}

variable "data_object_prefix" {
  description = "Object name prefix of new training data; only objects below it are notified."
  type        = string
  default     = "labels/"
}

variable "manifests_bucket_name" {
  description = "Bucket where the service writes manifests of long object lists; null: data_bucket_name."
  type        = string
  default     = null
}

variable "manifests_prefix" {
  description = "Object name prefix dedicated to the service's manifests (it writes <prefix>manifests/<decision id>.json); its grant is limited to it."
  type        = string
  default     = "retrain-trigger/"
}

variable "grant_manifests" {
  description = "Let the service write below the manifests prefix (roles/storage.objectUser). The Vertex AI launcher of this version writes no manifest yet (long object lists go inline): false leaves the grant out."
  type        = bool
  default     = true
}

variable "iam_conditions" {
  description = "Limit the manifests grant to the manifests prefix with an IAM condition. Needs uniform bucket-level access on the bucket; false: the grant covers the bucket."
  type        = bool
  default     = true
}

# ---- The pipeline (retrain.pipelines.NAME.*) and Vertex AI ---------------------------------------------

variable "pipeline_name" {
  description = "NAME of the pipeline in the application (retrain.pipelines.NAME.*): lower-case letters, digits, '-'."
  type        = string
  default     = "fraud"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]*$", var.pipeline_name))
    error_message = "pipeline_name: lower-case letters, digits and '-'."
  }
}

variable "vertex_project_id" {
  description = "Project of the Vertex AI pipeline jobs (retrain.pipelines.NAME.vertex.project); null: project_id."
  type        = string
  default     = null
}

variable "vertex_region" {
  description = "Region of the Vertex AI pipeline jobs (retrain.pipelines.NAME.vertex.region); null: region."
  type        = string
  default     = null
}

variable "vertex_template_uri" {
  description = "Pipeline template in Artifact Registry (retrain.pipelines.NAME.vertex.template-uri): https://<region>-kfp.pkg.dev/<project>/<repository>/<package>/<tag or version>, the only kind PipelineJob.templateUri takes. The service account may read that repository. null: not set here."
  type        = string
  default     = null

  validation {
    condition     = var.vertex_template_uri == null || can(regex("^https://[a-z0-9-]+-kfp\\.pkg\\.dev/[^/]+/[^/]+/.+", var.vertex_template_uri))
    error_message = "vertex_template_uri: an Artifact Registry template, https://<region>-kfp.pkg.dev/<project>/<repository>/<package>/<tag or version>."
  }
}

variable "vertex_pipeline_root" {
  description = "GCS output root of the pipeline jobs' artifacts (retrain.pipelines.NAME.vertex.pipeline-root), written by the pipeline's own service account. null: the template's default."
  type        = string
  default     = null
}

variable "vertex_service_account" {
  description = "E-mail of the existing service account the pipeline jobs run as (retrain.pipelines.NAME.vertex.service-account). The service may act as this account only."
  type        = string
}

variable "vertex_role" {
  description = "Role of the service on the Vertex AI project to create and read pipeline jobs."
  type        = string
  default     = "roles/aiplatform.user"
}

variable "model_monitoring_job_ids" {
  description = "Numeric ids of the Vertex AI model deployment monitoring jobs whose anomalies concern the pipeline: the log sink keeps only theirs, and they become the pipeline's monitors (vertex-monitoring-job:<id>). Empty: the sink forwards the anomalies of every job of the project."
  type        = list(string)
  default     = []
}

variable "pipeline_job_log_filter" {
  description = "Further condition on the pipeline job state entries the sink forwards, e.g. labels.pipeline_name=\"fraud-training\"; empty: every pipeline job of the project."
  type        = string
  default     = ""
}

variable "log_sink_name" {
  description = "Name of the Cloud Logging sink of Vertex AI entries."
  type        = string
  default     = "retrain-trigger-vertex"
}

# ---- Drift alert policy (Cloud Monitoring -> events stream) ------------------------------------------------

variable "drift_alert_enabled" {
  description = "Create the drift alert policy on drift_metric_type, notifying the events topic."
  type        = bool
  default     = true
}

variable "drift_alert_policy_name" {
  description = "Display name of the drift alert policy (the incidents' policy_name, one of the pipeline's monitors); null: <name_prefix>-<pipeline_name>-feature-drift."
  type        = string
  default     = null
}

variable "drift_metric_type" {
  description = "Per-feature drift gauge (metric label feature) written by your model monitoring job."
  type        = string
  default     = "custom.googleapis.com/model/feature_drift"
}

variable "drift_metric_resource_type" {
  description = "Monitored resource type of the drift metric's time series (e.g. global, generic_task); null: any."
  type        = string
  default     = null
}

variable "create_drift_metric_descriptor" {
  description = "Create the descriptor of drift_metric_type (DOUBLE gauge, label feature). false when the metric already exists (its writer created it)."
  type        = bool
  default     = true
}

variable "drift_threshold" {
  description = "An incident opens when a feature's drift is above this. Default 0.1 = the application's medium severity: the service grades the severity itself, so the policy should fire at the lowest grade that acts."
  type        = number
  default     = 0.1
}

variable "drift_alignment_period" {
  description = "Alignment period of the drift condition: at least the monitoring job's interval."
  type        = string
  default     = "3600s"
}

variable "drift_auto_close" {
  description = "An open drift incident without data closes after this (at least 1800s); the service reads the closing as resolved."
  type        = string
  default     = "86400s"
}

variable "dead_letter_alert_enabled" {
  description = "Alert the notification topic (and notification_emails) when a dead-letter subscription holds messages."
  type        = bool
  default     = true
}

# ---- Cloud Scheduler -----------------------------------------------------------------------------------------

variable "schedule" {
  description = "Cron (unix-cron format) of the periodic training tick, e.g. \"0 2 * * 0\" (Sundays 02:00); null: no scheduler job (the pipeline keeps its own Quartz schedule, if any)."
  type        = string
  default     = "0 2 * * 0"
}

variable "schedule_time_zone" {
  description = "Time zone of the schedule (tz database name)."
  type        = string
  default     = "Etc/UTC"
}

variable "scheduler_region" {
  description = "Region of the Cloud Scheduler job; null: region."
  type        = string
  default     = null
}

variable "scheduler_job_name" {
  description = "Name of the Cloud Scheduler job; null: <name_prefix>-<pipeline_name>-schedule."
  type        = string
  default     = null
}

# ---- The service account -------------------------------------------------------------------------------------

variable "service_account_id" {
  description = "Account id of the service's service account (<id>@<project>.iam.gserviceaccount.com)."
  type        = string
  default     = "retrain-trigger"
}

variable "gke_workload_identity" {
  description = "GKE Workload Identity: the Kubernetes namespace and service account whose pods run as the service account. null: run on Cloud Run / Compute Engine with the service account attached."
  type = object({
    namespace       = string
    service_account = string
  })
  default = null
}
