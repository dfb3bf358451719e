# The service's user-assigned managed identity: exactly what retrain-trigger calls, on exactly these
# resources.
#
# | role                            | scope                              | for                                       |
# |---------------------------------|------------------------------------|-------------------------------------------|
# | Azure Service Bus Data Receiver | the trigger queue                  | receive (peek-lock), complete, abandon    |
# | Azure Service Bus Data Sender   | the decisions and notification topics | retrain.audit.uri, retrain.notify.uri  |
# | AzureML Data Scientist          | the Azure ML workspace             | submit and read pipeline jobs (or the     |
# |   (or the custom role below)    |                                    | custom role: jobs read/write only)        |
# | Storage Blob Data Contributor   | the manifests container            | write manifests/<decision id>.json        |
#
# No Sender on the queue (the service never sends there) and no Receiver on the topics.

resource "azurerm_user_assigned_identity" "service" {
  name                = var.identity_name
  location            = local.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = var.tags
}

resource "azurerm_role_assignment" "service_queue_receiver" {
  scope                = azurerm_servicebus_queue.trigger.id
  role_definition_name = "Azure Service Bus Data Receiver"
  principal_id         = azurerm_user_assigned_identity.service.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_role_assignment" "service_topic_sender" {
  for_each = {
    audit  = azurerm_servicebus_topic.audit.id
    notify = azurerm_servicebus_topic.notify.id
  }

  scope                = each.value
  role_definition_name = "Azure Service Bus Data Sender"
  principal_id         = azurerm_user_assigned_identity.service.principal_id
  principal_type       = "ServicePrincipal"
}

# ---- Azure ML: submit pipeline jobs ----------------------------------------------------------------------
#
# AzureML Data Scientist: every action in the workspace except creating compute and changing the
# workspace. azureml_custom_role = true replaces it with a role that reads the workspace's assets and
# writes jobs, nothing else (check it with one launch: a pipeline component may need more, e.g. data
# assets it references).

resource "azurerm_role_definition" "azureml_jobs" {
  count = var.azureml_custom_role ? 1 : 0

  name        = "${var.name_prefix}-azureml-job-submitter"
  scope       = data.azurerm_machine_learning_workspace.this.id
  description = "retrain-trigger: submits and reads pipeline jobs in ${var.ml_workspace_name}."

  permissions {
    actions = [
      "Microsoft.MachineLearningServices/workspaces/read",
      "Microsoft.MachineLearningServices/workspaces/*/read",
      "Microsoft.MachineLearningServices/workspaces/jobs/write",
      "Microsoft.MachineLearningServices/workspaces/experiments/runs/submit/action",
    ]
  }

  assignable_scopes = [data.azurerm_machine_learning_workspace.this.id]
}

resource "azurerm_role_assignment" "service_azureml" {
  scope                = data.azurerm_machine_learning_workspace.this.id
  role_definition_name = var.azureml_custom_role ? null : "AzureML Data Scientist"
  role_definition_id   = var.azureml_custom_role ? azurerm_role_definition.azureml_jobs[0].role_definition_resource_id : null
  principal_id         = azurerm_user_assigned_identity.service.principal_id
  principal_type       = "ServicePrincipal"
}

# ---- Manifests of long object lists -----------------------------------------------------------------------

resource "azurerm_storage_container" "manifests" {
  count = var.create_manifests_container ? 1 : 0

  name                  = var.manifests_container_name
  storage_account_id    = data.azurerm_storage_account.manifests.id
  container_access_type = "private"
}

resource "azurerm_role_assignment" "service_manifests" {
  scope                = local.manifests_container_scope
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.service.principal_id
  principal_type       = "ServicePrincipal"

  depends_on = [azurerm_storage_container.manifests]
}

# ---- Where the container runs -----------------------------------------------------------------------------
#
# Azure Container Apps / App Service / VM: attach the identity to the app (user-assigned). AKS: workload
# identity federates the Kubernetes service account with the identity.
resource "azurerm_federated_identity_credential" "aks" {
  count = var.aks_workload_identity == null ? 0 : 1

  name                = "${var.name_prefix}-aks"
  resource_group_name = data.azurerm_resource_group.this.name
  parent_id           = azurerm_user_assigned_identity.service.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = var.aks_workload_identity.oidc_issuer_url
  subject             = "system:serviceaccount:${var.aks_workload_identity.namespace}:${var.aks_workload_identity.service_account}"
}
