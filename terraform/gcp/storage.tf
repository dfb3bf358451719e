# New data: a Cloud Storage notification configuration on the data bucket publishes one message per new
# object (OBJECT_FINALIZE: a new object or a new generation of one) below the data prefix to the data
# stream. Payload JSON_API_V1: the message data is the object's resource (with its size), which the
# service's StorageNotificationParser reads; with NONE the size would be unknown (0).
#
# A bucket may hold up to 100 notification configurations: this one owns nothing but itself.

# The project's Cloud Storage service agent publishes the notifications. It is the agent of the
# bucket's project; reading this data source also makes Cloud Storage create it if it does not exist.
data "google_storage_project_service_account" "gcs" {
  project = local.data_bucket_project
}

resource "google_pubsub_topic_iam_member" "gcs_publisher" {
  topic  = google_pubsub_topic.stream["data"].id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
}

resource "google_storage_notification" "data" {
  bucket             = var.data_bucket_name
  topic              = google_pubsub_topic.stream["data"].id
  payload_format     = "JSON_API_V1"
  event_types        = ["OBJECT_FINALIZE"]
  object_name_prefix = var.data_object_prefix

  lifecycle {
    # Objects the service writes (manifests) must not come back to it as new data.
    precondition {
      condition = !(
        local.manifests_bucket == var.data_bucket_name
        && (startswith(local.manifests_path, var.data_object_prefix) || startswith(var.data_object_prefix, local.manifests_path))
      )
      error_message = "The manifests prefix (manifests_bucket_name/manifests_prefix) overlaps the data prefix (data_bucket_name/data_object_prefix): the service's manifests would be notified as new data."
    }
  }

  # The agent must be allowed to publish before Cloud Storage accepts the configuration.
  depends_on = [google_pubsub_topic_iam_member.gcs_publisher]
}
