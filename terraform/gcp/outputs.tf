# One output per application property key, named after it: retrain.x.y-z -> retrain_x_y_z.
# Give each to the container as an environment variable (upper case: RETRAIN_X_Y_Z) or as a line of
# config/application.properties; see the table in README.md. TerraformGcpTest checks that every
# output name is a key of the application.

output "retrain_gcp_project_id" {
  description = "retrain.gcp.project-id: project of the subscriptions, and default project of Vertex AI jobs."
  value       = var.project_id
}

output "retrain_sources_gcp_enabled" {
  description = "retrain.sources.gcp.enabled: consume the Pub/Sub subscriptions."
  value       = true
}

output "retrain_sources_gcp_subscriptions" {
  description = "retrain.sources.gcp.subscriptions: the subscriptions the service consumes, comma-separated (events stream, data stream)."
  value       = local.application_properties["retrain.sources.gcp.subscriptions"]
}

output "retrain_notify_uri" {
  description = "retrain.notify.uri: Camel endpoint of drift notifications and reviews, the notification topic."
  value       = local.application_properties["retrain.notify.uri"]
}

output "retrain_audit_uri" {
  description = "retrain.audit.uri: Camel endpoint of every decision, the decisions topic."
  value       = local.application_properties["retrain.audit.uri"]
}

output "retrain_pipelines" {
  description = "retrain.pipelines.*: the keys of pipeline var.pipeline_name that this module determines, as '<NAME>.<key>' => value (retrain.pipelines.<NAME>.<key>). An empty value switches the key off (schedule: the Cloud Scheduler job ticks instead of Quartz)."
  value = {
    for k, v in local.application_properties :
    trimprefix(k, "retrain.pipelines.") => v if startswith(k, "retrain.pipelines.")
  }
}

# ---- Not a property: what deploying the container needs besides its configuration ------------------

locals {
  pipeline_monitors = concat(
    var.drift_alert_enabled ? [local.drift_policy_name] : [],
    [for id in var.model_monitoring_job_ids : "vertex-monitoring-job:${id}"],
  )

  application_properties = merge(
    {
      "retrain.gcp.project-id"            = var.project_id
      "retrain.sources.gcp.enabled"       = "true"
      "retrain.sources.gcp.subscriptions" = join(",", [for k in local.stream_order : google_pubsub_subscription.stream[k].name])
      "retrain.notify.uri"                = "google-pubsub:${var.project_id}:${google_pubsub_topic.notify.name}"
      "retrain.audit.uri"                 = "google-pubsub:${var.project_id}:${google_pubsub_topic.audit.name}"
    },
    {
      for k, v in {
        "target"                  = "vertex"
        "data-sources"            = "gs://${var.data_bucket_name}/${var.data_object_prefix}"
        "monitors"                = length(local.pipeline_monitors) == 0 ? null : join(",", local.pipeline_monitors)
        "schedule"                = var.schedule == null ? null : ""
        "vertex.project"          = local.vertex_project
        "vertex.region"           = local.vertex_region
        "vertex.template-uri"     = var.vertex_template_uri
        "vertex.pipeline-root"    = var.vertex_pipeline_root
        "vertex.service-account"  = var.vertex_service_account
        "vertex.manifest-gcs-uri" = "gs://${local.manifests_bucket}/${var.manifests_prefix}"
      } : "retrain.pipelines.${var.pipeline_name}.${k}" => v if v != null
    }
  )
}

output "deployment" {
  description = "Not an application property: the service account to run the container as, the resources to watch, and the whole configuration as container environment and as application.properties text."
  value = {
    service_account_email      = google_service_account.service.email
    topics                     = { for k in local.stream_order : k => google_pubsub_topic.stream[k].id }
    subscriptions              = { for k in local.stream_order : k => google_pubsub_subscription.stream[k].id }
    dead_letter_subscriptions  = { for k in local.stream_order : k => google_pubsub_subscription.dead_letter[k].id }
    audit_topic                = google_pubsub_topic.audit.id
    notification_topic         = google_pubsub_topic.notify.id
    log_sink_writer_identity   = google_logging_project_sink.vertex.writer_identity
    drift_alert_policy         = one(google_monitoring_alert_policy.drift[*].name)
    drift_notification_channel = google_monitoring_notification_channel.events.id
    scheduler_job              = one(google_cloud_scheduler_job.tick[*].id)
    container_environment      = { for k, v in local.application_properties : upper(replace(replace(k, ".", "_"), "-", "_")) => v }
    application_properties     = join("\n", [for k in sort(keys(local.application_properties)) : "${k}=${local.application_properties[k]}"])
  }
}
