# The Google Cloud side of retrain-trigger. One file per concern:
#   pubsub.tf      the two streams the service consumes (topic, subscription, dead-letter topic and
#                  subscription each), the decisions (audit) and notification topics
#   storage.tf     Cloud Storage notifications of new data (OBJECT_FINALIZE) to the data stream
#   logging.tf     log sink of Vertex AI model monitoring anomalies and pipeline job states
#   monitoring.tf  Pub/Sub notification channels, the drift alert policy, the dead-letter alert policy
#   scheduler.tf   Cloud Scheduler job ticking for the pipeline
#   iam.tf         the service's service account and its least-privilege grants
#   outputs.tf     one output per application property key

data "google_project" "this" {
  project_id = var.project_id
}

locals {
  project_number = data.google_project.this.number

  # Google-managed service agents that publish or forward for us.
  pubsub_service_agent     = "serviceAccount:service-${local.project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  monitoring_service_agent = "serviceAccount:service-${local.project_number}@gcp-sa-monitoring-notification.iam.gserviceaccount.com"

  service_member = "serviceAccount:${google_service_account.service.email}"

  vertex_project = coalesce(var.vertex_project_id, var.project_id)
  vertex_region  = coalesce(var.vertex_region, var.region)

  data_bucket_project = coalesce(var.data_bucket_project_id, var.project_id)
  manifests_bucket    = coalesce(var.manifests_bucket_name, var.data_bucket_name)
  # Where the service writes manifests: <prefix>manifests/<decision id>.json.
  manifests_path = "${var.manifests_prefix}manifests/"

  scheduler_job_name = coalesce(var.scheduler_job_name, "${var.name_prefix}-${var.pipeline_name}-schedule")
  drift_policy_name  = coalesce(var.drift_alert_policy_name, "${var.name_prefix}-${var.pipeline_name}-feature-drift")

  # APIs the resources of this module need.
  apis = [
    "aiplatform.googleapis.com",
    "cloudscheduler.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "pubsub.googleapis.com",
    "storage.googleapis.com",
  ]
}

resource "google_project_service" "required" {
  for_each = var.enable_apis ? toset(local.apis) : toset([])

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}
