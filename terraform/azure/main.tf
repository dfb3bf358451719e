# The Azure side of retrain-trigger. One file per concern:
#   servicebus.tf  namespace, the trigger queue (dead-lettering, lock duration), the decisions (audit)
#                  and notification topics
#   eventgrid.tf   system topics of the data storage account and the Azure ML workspace, their
#                  subscriptions delivering to the queue (BlobCreated; dataset drift, run status)
#   alerts.tf      Azure Monitor alerts to the queue: action group -> logic app -> queue; operator alerts
#   schedule.tf    logic app recurrence sending the pipeline's schedule tick to the queue
#   identity.tf    the service's user-assigned managed identity and its least-privilege role assignments
#   outputs.tf     one output per application property key

data "azurerm_resource_group" "this" {
  name = var.resource_group_name
}

data "azurerm_storage_account" "data" {
  name                = var.data_storage_account_name
  resource_group_name = coalesce(var.data_storage_account_resource_group_name, var.resource_group_name)
}

data "azurerm_storage_account" "manifests" {
  name                = local.manifests_account_name
  resource_group_name = local.manifests_account_resource_group
}

data "azurerm_machine_learning_workspace" "this" {
  name                = var.ml_workspace_name
  resource_group_name = coalesce(var.ml_workspace_resource_group_name, var.resource_group_name)
}

locals {
  location = coalesce(var.location, data.azurerm_resource_group.this.location)

  # <namespace>.servicebus.windows.net (or the sovereign cloud's suffix), from https://<fqdn>:443/.
  service_bus_fqdn = regex("^https://([^:/]+)", azurerm_servicebus_namespace.this.endpoint)[0]
  # Service Bus REST API: send to the queue (logic apps, with their managed identity).
  queue_messages_url = "https://${local.service_bus_fqdn}/${azurerm_servicebus_queue.trigger.name}/messages"

  manifests_account_name           = coalesce(var.manifests_storage_account_name, var.data_storage_account_name)
  manifests_account_resource_group = coalesce(var.manifests_storage_account_resource_group_name, var.data_storage_account_resource_group_name, var.resource_group_name)
  manifests_container_scope        = "${data.azurerm_storage_account.manifests.id}/blobServices/default/containers/${var.manifests_container_name}"

  # /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/workspaces/<name>
  ml_workspace_subscription_id = split("/", data.azurerm_machine_learning_workspace.this.id)[2]

  alert_logic_app_name    = coalesce(var.alert_logic_app_name, "${var.name_prefix}-alerts")
  schedule_logic_app_name = coalesce(var.schedule_logic_app_name, "${var.name_prefix}-${var.pipeline_name}-schedule")
  action_group_name       = coalesce(var.action_group_name, "${var.name_prefix}-to-queue")
}
