# Schedule: a logic app with a Recurrence trigger sends the pipeline's schedule tick to the trigger queue
# (Service Bus REST API, the logic app's managed identity):
#
#   body        {"type": "io.retraintrigger.schedule.tick", "pipeline": "<name>", "schedule": "<logic app>",
#                "time": "<scheduled time>"}
#   MessageId   schedule-tick:<pipeline>:<scheduled time>: the tick's id in the service, the same on a
#               retry of the send and on a resubmitted run, so one scheduled time counts once
#
# While this logic app ticks, the pipeline's own Quartz schedule is switched off (output
# retrain_pipelines sets <NAME>.schedule to empty): one tick source per pipeline.

locals {
  # The time this run was scheduled for (the trigger's scheduledTime; its startTime, or now, failing that).
  scheduled_time_expression = "coalesce(trigger()?['scheduledTime'], trigger()?['startTime'], utcNow())"
}

resource "azurerm_logic_app_workflow" "schedule" {
  count = var.schedule == null ? 0 : 1

  name                = local.schedule_logic_app_name
  location            = local.location
  resource_group_name = data.azurerm_resource_group.this.name

  identity {
    type = "SystemAssigned"
  }

  tags = var.tags
}

resource "azurerm_logic_app_trigger_recurrence" "schedule" {
  count = var.schedule == null ? 0 : 1

  name         = "schedule-tick"
  logic_app_id = azurerm_logic_app_workflow.schedule[0].id
  frequency    = var.schedule.frequency
  interval     = var.schedule.interval
  time_zone    = var.schedule_time_zone

  schedule {
    at_these_hours   = var.schedule.hours
    at_these_minutes = var.schedule.minutes
    on_these_days    = var.schedule.frequency == "Week" ? var.schedule.week_days : null
  }
}

resource "azurerm_logic_app_action_custom" "tick_to_queue" {
  count = var.schedule == null ? 0 : 1

  name         = "send-tick-to-trigger-queue"
  logic_app_id = azurerm_logic_app_workflow.schedule[0].id

  body = jsonencode({
    type     = "Http"
    runAfter = {}
    inputs = {
      method = "POST"
      uri    = local.queue_messages_url
      headers = {
        "Content-Type"   = "application/json"
        BrokerProperties = "{\"MessageId\": \"schedule-tick:${var.pipeline_name}:@{${local.scheduled_time_expression}}\"}"
      }
      body = {
        type     = "io.retraintrigger.schedule.tick"
        pipeline = var.pipeline_name
        schedule = local.schedule_logic_app_name
        time     = "@{${local.scheduled_time_expression}}"
      }
      authentication = {
        type     = "ManagedServiceIdentity"
        audience = "https://servicebus.azure.net"
      }
      retryPolicy = local.logic_app_retry_policy
    }
  })

  depends_on = [azurerm_logic_app_trigger_recurrence.schedule]
}

resource "azurerm_role_assignment" "schedule_logic_app_sender" {
  count = var.schedule == null ? 0 : 1

  scope                = azurerm_servicebus_queue.trigger.id
  role_definition_name = "Azure Service Bus Data Sender"
  principal_id         = azurerm_logic_app_workflow.schedule[0].identity[0].principal_id
  principal_type       = "ServicePrincipal"
}
