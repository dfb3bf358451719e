# One output per application property key, named after it: retrain.x.y-z -> retrain_x_y_z.
# Give each to the container as an environment variable (upper case: RETRAIN_X_Y_Z) or as a line of
# config/application.properties; see the table in README.md. TerraformAzureTest checks that every
# output name is a key of the application.

output "retrain_sources_azure_enabled" {
  description = "retrain.sources.azure.enabled: consume the trigger queue."
  value       = true
}

output "retrain_sources_azure_namespace" {
  description = "retrain.sources.azure.namespace: fully qualified namespace of the queue."
  value       = local.application_properties["retrain.sources.azure.namespace"]
}

output "retrain_sources_azure_queue" {
  description = "retrain.sources.azure.queue: the trigger queue."
  value       = azurerm_servicebus_queue.trigger.name
}

output "retrain_azure_managed_identity_client_id" {
  description = "retrain.azure.managed-identity-client-id: client id of the user-assigned identity the service's clients authenticate as."
  value       = azurerm_user_assigned_identity.service.client_id
}

output "retrain_notify_uri" {
  description = "retrain.notify.uri: Camel endpoint of drift notifications and reviews, the notification topic (Entra ID, with the service's azureCredential)."
  value       = local.application_properties["retrain.notify.uri"]
}

output "retrain_audit_uri" {
  description = "retrain.audit.uri: Camel endpoint of every decision, the decisions topic."
  value       = local.application_properties["retrain.audit.uri"]
}

output "retrain_pipelines" {
  description = "retrain.pipelines.*: the keys of pipeline var.pipeline_name that this module determines, as '<NAME>.<key>' => value (retrain.pipelines.<NAME>.<key>). An empty value switches the key off (schedule: the logic app ticks instead of Quartz)."
  value = {
    for k, v in local.application_properties :
    trimprefix(k, "retrain.pipelines.") => v if startswith(k, "retrain.pipelines.")
  }
}

# ---- Not a property: what deploying the container needs besides its configuration ------------------

locals {
  # The sinks use the service's own credential bean (azureCredential: DefaultAzureCredential pinned to
  # retrain.azure.managed-identity-client-id), as its Service Bus consumer does.
  servicebus_endpoint_options = "serviceBusType=topic&fullyQualifiedNamespace=${local.service_bus_fqdn}&credentialType=TOKEN_CREDENTIAL&tokenCredential=#azureCredential"

  application_properties = merge(
    {
      "retrain.sources.azure.enabled"            = "true"
      "retrain.sources.azure.namespace"          = local.service_bus_fqdn
      "retrain.sources.azure.queue"              = azurerm_servicebus_queue.trigger.name
      "retrain.azure.managed-identity-client-id" = azurerm_user_assigned_identity.service.client_id
      "retrain.notify.uri"                       = "azure-servicebus:${azurerm_servicebus_topic.notify.name}?${local.servicebus_endpoint_options}"
      "retrain.audit.uri"                        = "azure-servicebus:${azurerm_servicebus_topic.audit.name}?${local.servicebus_endpoint_options}"
    },
    {
      for k, v in {
        "target"                    = "azureml"
        "data-sources"              = "${data.azurerm_storage_account.data.primary_blob_endpoint}${var.data_container_name}/${var.data_blob_prefix}"
        "monitors"                  = length(var.monitors) == 0 ? null : join(",", var.monitors)
        "schedule"                  = var.schedule == null ? null : ""
        "azureml.subscription-id"   = local.ml_workspace_subscription_id
        "azureml.resource-group"    = data.azurerm_machine_learning_workspace.this.resource_group_name
        "azureml.workspace"         = data.azurerm_machine_learning_workspace.this.name
        "azureml.component-id"      = var.azureml_component_id
        "azureml.experiment-name"   = var.azureml_experiment_name
        "azureml.compute"           = var.azureml_compute
        "azureml.manifest-blob-uri" = "${data.azurerm_storage_account.manifests.primary_blob_endpoint}${var.manifests_container_name}${var.manifests_prefix == "" ? "" : "/${trimsuffix(var.manifests_prefix, "/")}"}"
      } : "retrain.pipelines.${var.pipeline_name}.${k}" => v if v != null
    }
  )

  container_environment = { for k, v in local.application_properties : upper(replace(replace(k, ".", "_"), "-", "_")) => v }
}

output "deployment" {
  description = "Not an application property: the identity to run the container as, the resources to watch, and the whole configuration as container environment and as application.properties text."
  value = {
    identity_id              = azurerm_user_assigned_identity.service.id
    identity_client_id       = azurerm_user_assigned_identity.service.client_id
    identity_principal_id    = azurerm_user_assigned_identity.service.principal_id
    service_bus_namespace_id = azurerm_servicebus_namespace.this.id
    queue_id                 = azurerm_servicebus_queue.trigger.id
    dead_letter_queue        = "${azurerm_servicebus_queue.trigger.name}/$deadletterqueue"
    audit_topic_id           = azurerm_servicebus_topic.audit.id
    notification_topic_id    = azurerm_servicebus_topic.notify.id
    storage_system_topic_id  = azurerm_eventgrid_system_topic.storage.id
    ml_system_topic_id       = azurerm_eventgrid_system_topic.ml.id
    alert_action_group_id    = azurerm_monitor_action_group.alerts_to_queue.id
    alert_logic_app_id       = azurerm_logic_app_workflow.alerts.id
    schedule_logic_app_id    = one(azurerm_logic_app_workflow.schedule[*].id)
    container_environment    = local.container_environment
    application_properties   = join("\n", [for k in sort(keys(local.application_properties)) : "${k}=${local.application_properties[k]}"])
  }
}
