# Schedule: a Cloud Scheduler job publishes {"pipeline": "<name>"} to the events stream at each tick.
# Cloud Scheduler adds nothing of its own to the message, so the data names the pipeline. Its service
# agent (role roles/cloudscheduler.serviceAgent, granted by Google) holds pubsub.topics.publish: no grant
# is needed here.
#
# While this job ticks, the pipeline's own Quartz schedule is switched off (output retrain_pipelines sets
# <NAME>.schedule to empty): one tick source per pipeline.

resource "google_cloud_scheduler_job" "tick" {
  count = var.schedule == null ? 0 : 1

  name        = local.scheduler_job_name
  region      = coalesce(var.scheduler_region, var.region)
  description = "Scheduled training of ${var.pipeline_name} -> ${var.events_topic_name} (retrain-trigger)"
  schedule    = var.schedule
  time_zone   = var.schedule_time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.stream["events"].id
    data       = base64encode(jsonencode({ pipeline = var.pipeline_name }))
  }

  depends_on = [google_project_service.required]
}
