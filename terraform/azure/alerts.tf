# Azure Monitor alerts to the trigger queue.
#
# An action group cannot send to Service Bus (its receivers are e-mail, SMS, voice, push, ARM role,
# Automation runbook, Azure Function, Event Hubs, ITSM, Logic App, webhook and secure webhook), and
# Azure Monitor alerts are not an Event Grid source. The documented way is the action group's Logic App
# receiver with the common alert schema: Azure Monitor posts the alert to the logic app's HTTP trigger,
# and the logic app sends it, unchanged, to the queue. Here the logic app sends with the Service Bus REST
# API and its own managed identity (Azure Service Bus Data Sender on the queue only): no API connection,
# no SAS key. The service's MonitorAlertParser reads the common-schema body; the alert's id is its
# alertId + monitorCondition, so a rerun of the logic app does not count twice.
#
# Use it: add the action group (output deployment.alert_action_group_id) to the drift alert rules
# (metric alerts on an Azure ML online endpoint, log search alerts on your drift table, ...), and name
# those rules in the pipeline's monitors (variable monitors).

resource "azurerm_logic_app_workflow" "alerts" {
  name                = local.alert_logic_app_name
  location            = local.location
  resource_group_name = data.azurerm_resource_group.this.name

  identity {
    type = "SystemAssigned"
  }

  tags = var.tags
}

resource "azurerm_logic_app_trigger_http_request" "alerts" {
  name         = "azure-monitor-alert"
  logic_app_id = azurerm_logic_app_workflow.alerts.id
  schema       = jsonencode({ type = "object" })
}

resource "azurerm_logic_app_action_custom" "alert_to_queue" {
  name         = "send-to-trigger-queue"
  logic_app_id = azurerm_logic_app_workflow.alerts.id

  body = jsonencode({
    type     = "Http"
    runAfter = {}
    inputs = {
      method = "POST"
      uri    = local.queue_messages_url
      headers = {
        "Content-Type" = "application/json"
      }
      # The common-schema alert as Azure Monitor posted it.
      body = "@triggerBody()"
      authentication = {
        type     = "ManagedServiceIdentity"
        audience = "https://servicebus.azure.net"
      }
      retryPolicy = local.logic_app_retry_policy
    }
  })

  depends_on = [azurerm_logic_app_trigger_http_request.alerts]
}

resource "azurerm_role_assignment" "alerts_logic_app_sender" {
  scope                = azurerm_servicebus_queue.trigger.id
  role_definition_name = "Azure Service Bus Data Sender"
  principal_id         = azurerm_logic_app_workflow.alerts.identity[0].principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_monitor_action_group" "alerts_to_queue" {
  name                = local.action_group_name
  resource_group_name = data.azurerm_resource_group.this.name
  short_name          = var.action_group_short_name

  logic_app_receiver {
    name                    = "retrain-trigger-queue"
    resource_id             = azurerm_logic_app_workflow.alerts.id
    callback_url            = azurerm_logic_app_trigger_http_request.alerts.callback_url
    use_common_alert_schema = true
  }

  tags = var.tags
}

locals {
  # Retries of a logic app's send (throttling, a passing outage): exponential, about 2 hours in all.
  logic_app_retry_policy = {
    type            = "exponential"
    count           = 10
    interval        = "PT10S"
    minimumInterval = "PT10S"
    maximumInterval = "PT1H"
  }
}

# ---- Operators: dead letters and failed forwards ---------------------------------------------------------
#
# Anything in the queue's dead-letter subqueue is a signal that was not processed; a failed run of a
# logic app is an alert or a tick that did not reach the queue. Both notify notification_emails.

resource "azurerm_monitor_action_group" "operators" {
  count = length(var.notification_emails) == 0 ? 0 : 1

  name                = "${var.name_prefix}-operators"
  resource_group_name = data.azurerm_resource_group.this.name
  short_name          = "rt-ops"

  dynamic "email_receiver" {
    for_each = toset(var.notification_emails)

    content {
      name                    = email_receiver.value
      email_address           = email_receiver.value
      use_common_alert_schema = true
    }
  }

  tags = var.tags
}

resource "azurerm_monitor_metric_alert" "dead_letters" {
  count = length(var.notification_emails) == 0 ? 0 : 1

  name                = "${var.name_prefix}-dead-letters"
  resource_group_name = data.azurerm_resource_group.this.name
  scopes              = [azurerm_servicebus_namespace.this.id]
  description         = "Messages in ${var.queue_name}/$deadletterqueue: events the service could not process after ${var.max_delivery_count} deliveries, or that expired."
  severity            = 2
  frequency           = "PT5M"
  window_size         = "PT5M"

  criteria {
    metric_namespace = "Microsoft.ServiceBus/namespaces"
    metric_name      = "DeadletteredMessages"
    aggregation      = "Maximum"
    operator         = "GreaterThan"
    threshold        = 0

    dimension {
      name     = "EntityName"
      operator = "Include"
      values   = [azurerm_servicebus_queue.trigger.name]
    }
  }

  action {
    action_group_id = azurerm_monitor_action_group.operators[0].id
  }

  tags = var.tags
}

resource "azurerm_monitor_metric_alert" "logic_app_failures" {
  for_each = { for k, id in local.forwarding_logic_apps : k => id if length(var.notification_emails) > 0 }

  name                = "${var.name_prefix}-${each.key}-forward-failures"
  resource_group_name = data.azurerm_resource_group.this.name
  scopes              = [each.value]
  description         = "Failed runs of the logic app that forwards ${each.key == "alerts" ? "Azure Monitor alerts" : "schedule ticks"} to ${var.queue_name}."
  severity            = 2
  frequency           = "PT5M"
  window_size         = "PT15M"

  criteria {
    metric_namespace = "Microsoft.Logic/workflows"
    metric_name      = "RunsFailed"
    aggregation      = "Total"
    operator         = "GreaterThan"
    threshold        = 0
  }

  action {
    action_group_id = azurerm_monitor_action_group.operators[0].id
  }

  tags = var.tags
}

locals {
  # The logic apps that forward to the queue (the schedule's only when there is a schedule).
  forwarding_logic_apps = {
    for k, id in {
      alerts   = azurerm_logic_app_workflow.alerts.id
      schedule = one(azurerm_logic_app_workflow.schedule[*].id)
    } : k => id if k == "alerts" || var.schedule != null
  }
}
