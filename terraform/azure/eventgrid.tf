# Event Grid to the trigger queue: a system topic per source resource, one subscription each, delivering
# with the topic's system-assigned identity (role Azure Service Bus Data Sender on the queue only).
#
# Delivery schema: CloudEvents 1.0 by default (event_delivery_schema; the service reads the Event Grid
# schema as well). The event id becomes the Service Bus message id and the service's dedup key.
# Event Grid retries a failed delivery for event_grid_event_time_to_live minutes, then dead-letters the
# event as a blob into event_grid_dead_letter_container_name: a signal is never dropped silently.
#
# An Azure resource has at most one system topic. If the storage account or the workspace already has
# one, import it instead of creating a second (see README): `terraform import
# azurerm_eventgrid_system_topic.storage <its id>`.

locals {
  # Blob Storage events name the blob in their subject: /blobServices/default/containers/<c>/blobs/<path>.
  blob_created_subject = "/blobServices/default/containers/${var.data_container_name}/blobs/${var.data_blob_prefix}"

  # BlobCreated operations that complete a write (the service ignores the others: CreateFile and
  # SftpCreate make an empty file that a FlushWithClose / SftpCommit fills later).
  completed_write_apis = ["PutBlob", "PutBlockList", "CopyBlob", "FlushWithClose", "SftpCommit"]

  ml_event_types = [
    "Microsoft.MachineLearningServices.DatasetDriftDetected",
    "Microsoft.MachineLearningServices.RunStatusChanged",
    "Microsoft.MachineLearningServices.RunCompleted",
  ]

  dead_lettering = var.event_grid_dead_letter_container_name != null

  # Where the service writes manifests in the manifests container: <prefix>manifests/<decision id>.json.
  manifests_path = "${var.manifests_prefix}manifests/"

  # The system topics' identities: each may send to the queue (and write dead letters).
  system_topic_principals = {
    storage = azurerm_eventgrid_system_topic.storage.identity[0].principal_id
    ml      = azurerm_eventgrid_system_topic.ml.identity[0].principal_id
  }
}

# ---- Data: Microsoft.Storage.BlobCreated below the data prefix ---------------------------------------------

resource "azurerm_eventgrid_system_topic" "storage" {
  name                = coalesce(var.storage_system_topic_name, "${var.data_storage_account_name}-events")
  resource_group_name = data.azurerm_storage_account.data.resource_group_name
  location            = data.azurerm_storage_account.data.location
  source_resource_id  = data.azurerm_storage_account.data.id
  topic_type          = "Microsoft.Storage.StorageAccounts"

  identity {
    type = "SystemAssigned"
  }

  tags = var.tags
}

resource "azurerm_eventgrid_system_topic_event_subscription" "blob_created" {
  name                = var.blob_created_subscription_name
  system_topic        = azurerm_eventgrid_system_topic.storage.name
  resource_group_name = azurerm_eventgrid_system_topic.storage.resource_group_name

  included_event_types = ["Microsoft.Storage.BlobCreated"]

  subject_filter {
    subject_begins_with = local.blob_created_subject
    case_sensitive      = true
  }

  advanced_filter {
    string_in {
      key    = "data.api"
      values = local.completed_write_apis
    }
  }

  event_delivery_schema         = var.event_delivery_schema
  service_bus_queue_endpoint_id = azurerm_servicebus_queue.trigger.id

  delivery_identity {
    type = "SystemAssigned"
  }

  retry_policy {
    max_delivery_attempts = var.event_grid_max_delivery_attempts
    event_time_to_live    = var.event_grid_event_time_to_live
  }

  dynamic "dead_letter_identity" {
    for_each = local.dead_lettering ? [1] : []

    content {
      type = "SystemAssigned"
    }
  }

  dynamic "storage_blob_dead_letter_destination" {
    for_each = local.dead_lettering ? [1] : []

    content {
      storage_account_id          = data.azurerm_storage_account.manifests.id
      storage_blob_container_name = var.event_grid_dead_letter_container_name
    }
  }

  lifecycle {
    # Blobs the service writes (manifests) must not come back to it as new data.
    precondition {
      condition = !(
        lower(local.manifests_account_name) == lower(var.data_storage_account_name)
        && var.manifests_container_name == var.data_container_name
        && (startswith(local.manifests_path, var.data_blob_prefix) || startswith(var.data_blob_prefix, local.manifests_path))
      )
      error_message = "The manifests path (manifests_container_name/manifests_prefix) overlaps the data path (data_container_name/data_blob_prefix): the service's manifests would be read back as new data."
    }
  }

  depends_on = [
    azurerm_role_assignment.system_topic_sender,
    azurerm_role_assignment.system_topic_dead_letters,
  ]
}

# ---- Azure ML workspace: dataset drift, run status changes, run completions --------------------------------

resource "azurerm_eventgrid_system_topic" "ml" {
  name                = coalesce(var.ml_system_topic_name, "${var.ml_workspace_name}-events")
  resource_group_name = data.azurerm_machine_learning_workspace.this.resource_group_name
  location            = data.azurerm_machine_learning_workspace.this.location
  source_resource_id  = data.azurerm_machine_learning_workspace.this.id
  topic_type          = "Microsoft.MachineLearningServices.Workspaces"

  identity {
    type = "SystemAssigned"
  }

  tags = var.tags
}

resource "azurerm_eventgrid_system_topic_event_subscription" "ml" {
  name                = var.ml_events_subscription_name
  system_topic        = azurerm_eventgrid_system_topic.ml.name
  resource_group_name = azurerm_eventgrid_system_topic.ml.resource_group_name

  # DatasetDriftDetected: data drift monitors (v1). RunStatusChanged: failed runs, and Azure ML model
  # monitoring (v2) signals that breach their thresholds (run tag). RunCompleted: successful runs.
  included_event_types = local.ml_event_types

  event_delivery_schema         = var.event_delivery_schema
  service_bus_queue_endpoint_id = azurerm_servicebus_queue.trigger.id

  delivery_identity {
    type = "SystemAssigned"
  }

  retry_policy {
    max_delivery_attempts = var.event_grid_max_delivery_attempts
    event_time_to_live    = var.event_grid_event_time_to_live
  }

  dynamic "dead_letter_identity" {
    for_each = local.dead_lettering ? [1] : []

    content {
      type = "SystemAssigned"
    }
  }

  dynamic "storage_blob_dead_letter_destination" {
    for_each = local.dead_lettering ? [1] : []

    content {
      storage_account_id          = data.azurerm_storage_account.manifests.id
      storage_blob_container_name = var.event_grid_dead_letter_container_name
    }
  }

  depends_on = [
    azurerm_role_assignment.system_topic_sender,
    azurerm_role_assignment.system_topic_dead_letters,
  ]
}

# ---- The system topics' rights ---------------------------------------------------------------------------

resource "azurerm_role_assignment" "system_topic_sender" {
  for_each = local.system_topic_principals

  scope                = azurerm_servicebus_queue.trigger.id
  role_definition_name = "Azure Service Bus Data Sender"
  principal_id         = each.value
  principal_type       = "ServicePrincipal"
}

# Events that Event Grid could not deliver: blobs in a container of the manifests storage account.
resource "azurerm_storage_container" "event_grid_dead_letters" {
  count = local.dead_lettering ? 1 : 0

  name                  = var.event_grid_dead_letter_container_name
  storage_account_id    = data.azurerm_storage_account.manifests.id
  container_access_type = "private"
}

resource "azurerm_role_assignment" "system_topic_dead_letters" {
  for_each = { for k, v in local.system_topic_principals : k => v if local.dead_lettering }

  scope                = "${data.azurerm_storage_account.manifests.id}/blobServices/default/containers/${var.event_grid_dead_letter_container_name}"
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = each.value
  principal_type       = "ServicePrincipal"

  depends_on = [azurerm_storage_container.event_grid_dead_letters]
}
