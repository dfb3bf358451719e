# Cloud Monitoring to the events stream: an alert policy whose notification channel is of type pubsub
# publishes its incidents (JSON, schema version 1.2) to the events topic; the service reads an open
# incident as a drift alert (observed_value = the score, metric label feature = the feature) and a
# closed one as resolved.
#
# Only the drift alert policy may notify the events channel: any other policy's incident would be read
# as drift too. The dead-letter alert below notifies people (e-mail, the notification topic).

resource "google_monitoring_notification_channel" "events" {
  display_name = "${var.name_prefix}: ${var.events_topic_name}"
  description  = "Drift incidents -> retrain-trigger (topic ${var.events_topic_name})"
  type         = "pubsub"

  labels = {
    topic = google_pubsub_topic.stream["events"].id
  }

  depends_on = [google_project_service.required]
}

resource "google_monitoring_notification_channel" "notify" {
  display_name = "${var.name_prefix}: ${var.notification_topic_name}"
  description  = "Operational alerts of retrain-trigger -> the notification topic"
  type         = "pubsub"

  labels = {
    topic = google_pubsub_topic.notify.id
  }

  depends_on = [google_project_service.required]
}

resource "google_monitoring_notification_channel" "email" {
  for_each = toset(var.notification_emails)

  display_name = "${var.name_prefix}: ${each.value}"
  type         = "email"

  labels = {
    email_address = each.value
  }

  depends_on = [google_project_service.required]
}

# Cloud Monitoring publishes with its notification service agent, which it creates with the project's
# first Pub/Sub channel: hence the dependency on the channels.
resource "google_pubsub_topic_iam_member" "monitoring_publisher" {
  for_each = {
    events = google_pubsub_topic.stream["events"].id
    notify = google_pubsub_topic.notify.id
  }

  topic  = each.value
  role   = "roles/pubsub.publisher"
  member = local.monitoring_service_agent

  depends_on = [
    google_monitoring_notification_channel.events,
    google_monitoring_notification_channel.notify,
  ]
}

# ---- The drift alert policy (an example on a per-feature drift metric) ----------------------------------
#
# Your monitoring job writes the drift of each feature as a gauge, one time series per feature (metric
# label `feature`), e.g. custom.googleapis.com/model/feature_drift. The policy keeps one time series per
# feature (no cross-series reduction), so each incident names its feature and carries its score.
# Cloud Monitoring refuses a policy on a metric type it does not know yet (404 "Cannot find metric(s)"),
# so the descriptor is created here (create_drift_metric_descriptor; false when the metric exists).
# A metric descriptor can take minutes to be usable: if the first apply fails with that 404, apply again.

resource "google_monitoring_metric_descriptor" "drift" {
  count = var.drift_alert_enabled && var.create_drift_metric_descriptor ? 1 : 0

  type         = var.drift_metric_type
  display_name = "Feature drift"
  description  = "Drift score of one model feature (distance from the training baseline), written by the model's monitoring job; alerted on by ${local.drift_policy_name}."
  metric_kind  = "GAUGE"
  value_type   = "DOUBLE"
  unit         = "1"

  labels {
    key         = "feature"
    value_type  = "STRING"
    description = "The feature the score is about."
  }

  depends_on = [google_project_service.required]
}

resource "google_monitoring_alert_policy" "drift" {
  count = var.drift_alert_enabled ? 1 : 0

  display_name = local.drift_policy_name
  combiner     = "OR"
  enabled      = true

  conditions {
    display_name = "Feature drift above ${var.drift_threshold}"

    condition_threshold {
      filter          = join(" AND ", compact(["metric.type=\"${var.drift_metric_type}\"", var.drift_metric_resource_type == null ? "" : "resource.type=\"${var.drift_metric_resource_type}\""]))
      comparison      = "COMPARISON_GT"
      threshold_value = var.drift_threshold
      duration        = "0s"

      aggregations {
        alignment_period   = var.drift_alignment_period
        per_series_aligner = "ALIGN_MAX"
      }

      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = var.drift_auto_close
  }

  notification_channels = [google_monitoring_notification_channel.events.id]

  documentation {
    content   = "Drift of a feature of pipeline ${var.pipeline_name} is above ${var.drift_threshold}. retrain-trigger grades the severity (thresholds in retrain.drift.*) and decides whether to retrain; see its decisions (GET /api/decisions?pipeline=${var.pipeline_name})."
    mime_type = "text/markdown"
  }

  user_labels = {
    pipeline = var.pipeline_name
  }

  depends_on = [
    google_monitoring_metric_descriptor.drift,
    google_pubsub_topic_iam_member.monitoring_publisher,
  ]
}

# ---- Dead letters: anything in a dead-letter subscription is a signal that was not processed ----------

resource "google_monitoring_alert_policy" "dead_letters" {
  count = var.dead_letter_alert_enabled ? 1 : 0

  display_name = "${var.name_prefix}-dead-letters"
  combiner     = "OR"
  enabled      = true

  conditions {
    display_name = "Messages in a dead-letter subscription of retrain-trigger"

    condition_threshold {
      filter          = "resource.type=\"pubsub_subscription\" AND metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.label.subscription_id=one_of(${join(",", [for k in local.stream_order : "\"${google_pubsub_subscription.dead_letter[k].name}\""])})"
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }

      trigger {
        count = 1
      }
    }
  }

  notification_channels = concat(
    [google_monitoring_notification_channel.notify.id],
    [for c in google_monitoring_notification_channel.email : c.id],
  )

  documentation {
    content   = "Messages that retrain-trigger could not process after ${var.max_delivery_attempts} deliveries are kept in the subscriptions ${join(", ", [for k in local.stream_order : google_pubsub_subscription.dead_letter[k].name])} (31 days). Look at them, fix the cause, and publish them again to their stream's topic."
    mime_type = "text/markdown"
  }

  depends_on = [google_pubsub_topic_iam_member.monitoring_publisher]
}
