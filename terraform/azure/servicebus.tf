# The trigger queue: every Event Grid subscription and both logic apps of this module deliver here; the
# service receives in peek-lock mode (retrain.sources.azure.*) and completes a message only after
# recording it.
#
# Entra ID only (local_auth_enabled = false): no SAS keys. The service, the Event Grid system topics and
# the logic apps each hold a data role on exactly the entity they use.

resource "azurerm_servicebus_namespace" "this" {
  name                = var.service_bus_namespace_name
  location            = local.location
  resource_group_name = data.azurerm_resource_group.this.name
  sku                 = var.service_bus_sku
  local_auth_enabled  = var.service_bus_local_auth_enabled
  minimum_tls_version = "1.2"
  tags                = var.tags
}

resource "azurerm_servicebus_queue" "trigger" {
  name         = var.queue_name
  namespace_id = azurerm_servicebus_namespace.this.id

  # Peek-lock: a received message stays locked this long (the client renews the lock while it works);
  # longer than the slowest processing of one message. PT5M is the maximum.
  lock_duration = var.lock_duration

  # Deliveries before Service Bus moves a message to the queue's dead-letter subqueue
  # (<queue>/$deadletterqueue): a message the service cannot process is never dropped.
  max_delivery_count = var.max_delivery_count

  # A message that expires unprocessed goes to the dead-letter subqueue too, not away.
  dead_lettering_on_message_expiration = true
  default_message_ttl                  = var.message_ttl
}

# ---- Sinks of the service: decisions (retrain.audit.uri) and notifications (retrain.notify.uri) --------
#
# A message sent to a topic without subscriptions is dropped: each topic has one subscription that keeps
# its messages (and dead-letters what expires) until a consumer (archive job, chat bridge) takes them.

resource "azurerm_servicebus_topic" "audit" {
  name                = var.audit_topic_name
  namespace_id        = azurerm_servicebus_namespace.this.id
  default_message_ttl = var.topic_message_ttl
}

resource "azurerm_servicebus_subscription" "audit" {
  name                                 = var.audit_subscription_name
  topic_id                             = azurerm_servicebus_topic.audit.id
  max_delivery_count                   = var.max_delivery_count
  lock_duration                        = "PT1M"
  default_message_ttl                  = var.topic_message_ttl
  dead_lettering_on_message_expiration = true
}

resource "azurerm_servicebus_topic" "notify" {
  name                = var.notification_topic_name
  namespace_id        = azurerm_servicebus_namespace.this.id
  default_message_ttl = var.topic_message_ttl
}

resource "azurerm_servicebus_subscription" "notify" {
  name                                 = var.notification_subscription_name
  topic_id                             = azurerm_servicebus_topic.notify.id
  max_delivery_count                   = var.max_delivery_count
  lock_duration                        = "PT1M"
  default_message_ttl                  = var.topic_message_ttl
  dead_lettering_on_message_expiration = true
}
