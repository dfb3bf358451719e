# The streams the service consumes: one topic and one pull subscription each, and one consumer route
# each in the service (retrain.sources.gcp.subscriptions lists the subscriptions, output
# retrain_sources_gcp_subscriptions). Every message format goes to either stream (the service detects
# the format of each message), but the two are kept apart on purpose:
#
#   events  Cloud Monitoring incidents (drift alert policy), the log sink of Vertex AI model monitoring
#           anomalies and pipeline job states, Cloud Scheduler ticks: few messages, each one matters now
#   data    Cloud Storage notifications: one message per new object, so a bulk upload of 100 000 files
#           is 100 000 messages; on their own subscription they never delay a drift alert or a tick
#
# Each subscription: ack deadline longer than the slowest processing of one message, exponential
# retry backoff on nack, a dead-letter topic after max_delivery_attempts, and a subscription on that
# topic that keeps dead letters for 31 days (a topic without a subscription drops what it receives).

locals {
  streams = {
    events = {
      topic        = var.events_topic_name
      subscription = var.events_subscription_name
      carries      = "Cloud Monitoring incidents, Vertex AI log sink entries, Cloud Scheduler ticks"
    }
    data = {
      topic        = var.data_topic_name
      subscription = var.data_subscription_name
      carries      = "Cloud Storage notifications (OBJECT_FINALIZE)"
    }
  }

  # The order of retrain.sources.gcp.subscriptions.
  stream_order = ["events", "data"]
}

resource "google_pubsub_topic" "stream" {
  for_each = local.streams

  name   = each.value.topic
  labels = { stream = each.key }

  depends_on = [google_project_service.required]
}

resource "google_pubsub_topic" "dead_letter" {
  for_each = local.streams

  name   = "${each.value.subscription}${var.dead_letter_suffix}"
  labels = { stream = each.key, "dead-letter" = "true" }

  depends_on = [google_project_service.required]
}

resource "google_pubsub_subscription" "stream" {
  for_each = local.streams

  name   = each.value.subscription
  topic  = google_pubsub_topic.stream[each.key].id
  labels = { stream = each.key }

  ack_deadline_seconds       = var.ack_deadline_seconds
  message_retention_duration = var.message_retention_duration

  # Never delete the subscription for inactivity (the default is 31 days without a subscriber):
  # a source that is switched off for a month must not lose its subscription and its backlog.
  expiration_policy {
    ttl = ""
  }

  # A nacked message (a failed exchange) comes back after an exponential backoff, not at once.
  retry_policy {
    minimum_backoff = var.retry_minimum_backoff
    maximum_backoff = var.retry_maximum_backoff
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter[each.key].id
    max_delivery_attempts = var.max_delivery_attempts
  }

  depends_on = [google_pubsub_topic_iam_member.dead_letter_publisher]
}

resource "google_pubsub_subscription" "dead_letter" {
  for_each = local.streams

  name   = "${each.value.subscription}${var.dead_letter_suffix}"
  topic  = google_pubsub_topic.dead_letter[each.key].id
  labels = { stream = each.key, "dead-letter" = "true" }

  ack_deadline_seconds       = 60
  message_retention_duration = var.dead_letter_retention_duration

  expiration_policy {
    ttl = ""
  }
}

# Dead-lettering is done by the Pub/Sub service agent: it must publish to the dead-letter topic and
# acknowledge (subscribe to) the source subscription. Without these grants Pub/Sub neither counts
# delivery attempts nor forwards anything.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = local.streams

  topic  = google_pubsub_topic.dead_letter[each.key].id
  role   = "roles/pubsub.publisher"
  member = local.pubsub_service_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_forwarder" {
  for_each = local.streams

  subscription = google_pubsub_subscription.stream[each.key].id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

# ---- Sinks of the service: decisions (retrain.audit.uri) and notifications (retrain.notify.uri) --------
#
# Topic retention keeps every message for the retention period even before anyone subscribes: a
# subscription created later (an archive to BigQuery, a chat bridge, an e-mail function) can seek back.

resource "google_pubsub_topic" "audit" {
  name                       = var.audit_topic_name
  message_retention_duration = var.audit_retention_duration
  labels                     = { sink = "audit" }

  depends_on = [google_project_service.required]
}

resource "google_pubsub_topic" "notify" {
  name                       = var.notification_topic_name
  message_retention_duration = var.notification_retention_duration
  labels                     = { sink = "notify" }

  depends_on = [google_project_service.required]
}
