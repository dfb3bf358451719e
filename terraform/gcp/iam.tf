# The service's service account: exactly what retrain-trigger calls, on exactly these resources.
#
# | grant                               | on                                      | for                                    |
# |-------------------------------------|-----------------------------------------|----------------------------------------|
# | roles/pubsub.subscriber             | the two stream subscriptions            | pull, ack, modify ack deadlines        |
# | roles/pubsub.publisher              | the audit and notification topics       | retrain.audit.uri, retrain.notify.uri  |
# | roles/aiplatform.user               | the Vertex AI project                   | create and get pipeline jobs           |
# | roles/iam.serviceAccountUser        | the pipeline's service account only     | run a pipeline job as it (act-as)      |
# | roles/storage.objectUser            | the manifests prefix (IAM condition)    | write (and rewrite on a resend)        |
# |                                     |                                         | manifests/<decision id>.json           |
# | roles/artifactregistry.reader       | the template repository (kfp.pkg.dev)   | read the pipeline template             |
#
# No project-wide Pub/Sub or Storage role. roles/aiplatform.user is the predefined role that holds
# aiplatform.pipelineJobs.create and .get; a custom role of your organisation with just those can
# replace it (vertex_role = "projects/<project>/roles/<id>"; check it with one launch).

resource "google_service_account" "service" {
  account_id   = var.service_account_id
  display_name = "retrain-trigger"
  description  = "retrain-trigger: consumes ${join(", ", [for k in local.stream_order : local.streams[k].subscription])}, launches Vertex AI pipeline jobs as ${var.vertex_service_account}"

  depends_on = [google_project_service.required]
}

resource "google_pubsub_subscription_iam_member" "service_subscriber" {
  for_each = local.streams

  subscription = google_pubsub_subscription.stream[each.key].id
  role         = "roles/pubsub.subscriber"
  member       = local.service_member
}

resource "google_pubsub_topic_iam_member" "service_publisher" {
  for_each = {
    audit  = google_pubsub_topic.audit.id
    notify = google_pubsub_topic.notify.id
  }

  topic  = each.value
  role   = "roles/pubsub.publisher"
  member = local.service_member
}

resource "google_project_iam_member" "service_vertex" {
  project = local.vertex_project
  role    = var.vertex_role
  member  = local.service_member
}

# Act-as on the pipeline's service account alone (CreatePipelineJob with serviceAccount checks
# iam.serviceAccounts.actAs on it), not on every service account of the project.
resource "google_service_account_iam_member" "act_as_pipeline" {
  service_account_id = "projects/${local.vertex_project}/serviceAccounts/${var.vertex_service_account}"
  role               = "roles/iam.serviceAccountUser"
  member             = local.service_member
}

# Manifests of long object lists: below the manifests prefix only. A resend rewrites the same object,
# which needs storage.objects.delete as well as create: roles/storage.objectUser, not objectCreator.
# The IAM condition needs uniform bucket-level access on the bucket (iam_conditions = false: the grant
# covers the whole bucket instead). The Vertex AI launcher of this version passes long object lists
# inline (a JSON array) and writes no manifest yet: grant_manifests = false leaves the grant out.
resource "google_storage_bucket_iam_member" "manifests" {
  count = var.grant_manifests ? 1 : 0

  bucket = local.manifests_bucket
  role   = "roles/storage.objectUser"
  member = local.service_member

  dynamic "condition" {
    for_each = var.iam_conditions ? [1] : []

    content {
      title       = "retrain-trigger-manifests"
      description = "Objects below gs://${local.manifests_bucket}/${var.manifests_prefix}"
      expression  = "resource.name.startsWith(\"projects/_/buckets/${local.manifests_bucket}/objects/${var.manifests_prefix}\")"
    }
  }
}

# ---- Read access to the compiled pipeline template ------------------------------------------------------
#
# PipelineJob.templateUri takes an Artifact Registry template (https://<region>-kfp.pkg.dev/<project>/
# <repository>/<package>/<tag or version>), which Vertex AI downloads for the job: read access to that
# repository only.

locals {
  # https://LOCATION-kfp.pkg.dev/PROJECT/REPOSITORY/... -> [LOCATION, PROJECT, REPOSITORY]
  template_repository = var.vertex_template_uri == null ? null : regex("^https://([a-z0-9-]+)-kfp\\.pkg\\.dev/([^/]+)/([^/]+)/", var.vertex_template_uri)
}

resource "google_artifact_registry_repository_iam_member" "template" {
  count = var.vertex_template_uri == null ? 0 : 1

  project    = local.template_repository[1]
  location   = local.template_repository[0]
  repository = local.template_repository[2]
  role       = "roles/artifactregistry.reader"
  member     = local.service_member
}

# ---- Where the container runs ---------------------------------------------------------------------------
#
# Cloud Run / Compute Engine: deploy with this service account (--service-account). GKE: Workload
# Identity Federation lets the Kubernetes service account impersonate it.
resource "google_service_account_iam_member" "gke_workload_identity" {
  count = var.gke_workload_identity == null ? 0 : 1

  service_account_id = google_service_account.service.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[${var.gke_workload_identity.namespace}/${var.gke_workload_identity.service_account}]"
}
