# Vertex AI to the events stream through Cloud Logging: one project log sink with two parts.
#
#   model monitoring anomalies  A model deployment monitoring job whose alert config has enableLogging
#                               writes one entry per run that finds anomalies to the log
#                               aiplatform.googleapis.com/model_monitoring_anomaly (payload
#                               ModelMonitoringAnomaliesLogEntry: featureAnomalies[] with deviation and
#                               threshold per feature). The service grades each feature's deviation.
#   pipeline job states         Vertex AI Pipelines writes job state changes to the log
#                               aiplatform.googleapis.com/pipeline_job_events (resource
#                               aiplatform.googleapis.com/PipelineJob, jsonPayload.state): launched
#                               trainings learn their outcome. Entries without a state are left out.
#
# The message data is the LogEntry's JSON. The sink writes with its own identity (unique writer
# identity), which may publish to the events topic only.

locals {
  model_monitoring_filter = join(" AND ", compact([
    "log_id(\"aiplatform.googleapis.com/model_monitoring_anomaly\")",
    length(var.model_monitoring_job_ids) == 0 ? "" : "resource.labels.model_deployment_monitoring_job=(${join(" OR ", [for id in var.model_monitoring_job_ids : "\"${id}\""])})",
  ]))

  pipeline_job_filter = join(" AND ", compact([
    "log_id(\"aiplatform.googleapis.com/pipeline_job_events\")",
    "resource.type=\"aiplatform.googleapis.com/PipelineJob\"",
    "jsonPayload.state:*",
    var.pipeline_job_log_filter,
  ]))

  vertex_sink_filter = "(${local.model_monitoring_filter}) OR (${local.pipeline_job_filter})"
}

resource "google_logging_project_sink" "vertex" {
  name        = var.log_sink_name
  project     = var.project_id
  description = "Vertex AI model monitoring anomalies and pipeline job states -> ${var.events_topic_name} (retrain-trigger)"
  destination = "pubsub.googleapis.com/${google_pubsub_topic.stream["events"].id}"
  filter      = local.vertex_sink_filter

  unique_writer_identity = true

  depends_on = [google_project_service.required]
}

resource "google_pubsub_topic_iam_member" "log_sink_publisher" {
  topic  = google_pubsub_topic.stream["events"].id
  role   = "roles/pubsub.publisher"
  member = google_logging_project_sink.vertex.writer_identity
}
