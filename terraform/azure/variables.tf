# ---- General ------------------------------------------------------------------------------------

variable "subscription_id" {
  description = "Azure subscription of the resources; null: ARM_SUBSCRIPTION_ID."
  type        = string
  default     = null
}

variable "resource_group_name" {
  description = "Existing resource group of the resources this module creates (namespace, logic apps, action groups, identity)."
  type        = string
}

variable "location" {
  description = "Region of the resources this module creates; null: the resource group's. The Event Grid system topics are in their source's region."
  type        = string
  default     = null
}

variable "name_prefix" {
  description = "Prefix of the names this module makes up (logic apps, action groups, alerts, role) when no explicit name is given."
  type        = string
  default     = "retrain-trigger"
}

variable "tags" {
  description = "Tags on every resource that takes tags."
  type        = map(string)
  default = {
    application = "retrain-trigger"
  }
}

# ---- Service Bus: the queue the service consumes (retrain.sources.azure.*) ------------------------

variable "service_bus_namespace_name" {
  description = "Service Bus namespace (globally unique); the application's retrain.sources.azure.namespace is <name>.servicebus.windows.net."
  type        = string
}

variable "service_bus_sku" {
  description = "Service Bus tier: Standard or Premium (topics need at least Standard)."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Standard", "Premium"], var.service_bus_sku)
    error_message = "service_bus_sku: Standard or Premium."
  }
}

variable "service_bus_local_auth_enabled" {
  description = "Allow SAS keys (connection strings) on the namespace. false: Entra ID only; the development-only RETRAIN_SOURCES_AZURE_CONNECTION_STRING then does not work against this namespace."
  type        = bool
  default     = false
}

variable "queue_name" {
  description = "Queue that Event Grid and the logic apps deliver to. Must equal the application's retrain.sources.azure.queue."
  type        = string
  default     = "retrain-trigger-events"
}

variable "lock_duration" {
  description = "Peek-lock duration (ISO 8601): longer than the slowest processing of one message (a batch closing, a throttled launch with retries); the client renews it while it works. At most PT5M."
  type        = string
  default     = "PT5M"

  validation {
    condition     = can(regex("^PT([1-4]M([0-5]?[0-9]S)?|5M|[3-5][0-9]S)$", var.lock_duration))
    error_message = "lock_duration: between PT30S and PT5M, e.g. PT1M30S or PT5M."
  }
}

variable "max_delivery_count" {
  description = "Deliveries of a message before Service Bus moves it to the dead-letter subqueue."
  type        = number
  default     = 10

  validation {
    condition     = var.max_delivery_count >= 1 && var.max_delivery_count <= 2000
    error_message = "max_delivery_count must be between 1 and 2000."
  }
}

variable "message_ttl" {
  description = "How long the queue keeps an unprocessed message before it expires (to the dead-letter subqueue); ISO 8601."
  type        = string
  default     = "P14D"
}

variable "audit_topic_name" {
  description = "Topic that receives every decision as JSON (retrain.audit.uri)."
  type        = string
  default     = "retrain-trigger-decisions"
}

variable "audit_subscription_name" {
  description = "Subscription that keeps the decisions until a consumer (archive) takes them."
  type        = string
  default     = "archive"
}

variable "notification_topic_name" {
  description = "Topic of drift notifications and human reviews (retrain.notify.uri)."
  type        = string
  default     = "retrain-trigger-notifications"
}

variable "notification_subscription_name" {
  description = "Subscription that keeps the notifications until a consumer (chat bridge, e-mail function) takes them."
  type        = string
  default     = "operators"
}

variable "topic_message_ttl" {
  description = "How long the topics' subscriptions keep a message (ISO 8601)."
  type        = string
  default     = "P14D"
}

# ---- Blob Storage: new data --------------------------------------------------------------------------

variable "data_storage_account_name" {
  description = "Existing storage account where new training data lands; it gets an Event Grid system topic."
  type        = string
}

variable "data_storage_account_resource_group_name" {
  description = "Resource group of the data storage account; null: resource_group_name."
  type        = string
  default     = null
}

variable "data_container_name" {
  description = "Container of new training data."
  type        = string
  default     = "mlops-data"
}

variable "data_blob_prefix" {
  description = "Blob name prefix of new training data in data_container_name; only blobs below it raise events for the pipeline."
  type        = string
  default     = "labels/"
}

variable "storage_system_topic_name" {
  description = "Name of the storage account's Event Grid system topic; null: <account>-events. An account has at most one: import an existing one (README)."
  type        = string
  default     = null
}

variable "blob_created_subscription_name" {
  description = "Name of the BlobCreated event subscription."
  type        = string
  default     = "retrain-trigger-blob-created"
}

variable "event_delivery_schema" {
  description = "Schema in which Event Grid delivers to the queue: CloudEventSchemaV1_0 or EventGridSchema (the service reads both)."
  type        = string
  default     = "CloudEventSchemaV1_0"

  validation {
    condition     = contains(["CloudEventSchemaV1_0", "EventGridSchema"], var.event_delivery_schema)
    error_message = "event_delivery_schema: CloudEventSchemaV1_0 or EventGridSchema."
  }
}

variable "event_grid_max_delivery_attempts" {
  description = "Attempts of Event Grid to deliver an event to the queue (1-30)."
  type        = number
  default     = 30
}

variable "event_grid_event_time_to_live" {
  description = "Minutes Event Grid keeps trying to deliver an event (1-1440) before it dead-letters it."
  type        = number
  default     = 1440
}

variable "event_grid_dead_letter_container_name" {
  description = "Container (created in the manifests storage account) where Event Grid dead-letters events it could not deliver; null: no dead-lettering (undeliverable events are dropped)."
  type        = string
  default     = "retrain-trigger-dead-letters"
}

variable "manifests_storage_account_name" {
  description = "Storage account where the service writes manifests of long object lists; null: the data storage account."
  type        = string
  default     = null
}

variable "manifests_storage_account_resource_group_name" {
  description = "Resource group of the manifests storage account; null: the data storage account's."
  type        = string
  default     = null
}

variable "manifests_container_name" {
  description = "Container dedicated to the service's manifests (Storage Blob Data Contributor on it alone)."
  type        = string
  default     = "retrain-trigger"
}

variable "create_manifests_container" {
  description = "Create manifests_container_name (false: it exists)."
  type        = bool
  default     = true
}

variable "manifests_prefix" {
  description = "Blob name prefix of the manifests in their container (the service writes <prefix>manifests/<decision id>.json); empty: the container's root."
  type        = string
  default     = ""
}

# ---- Azure ML: the workspace, its events, the pipeline (retrain.pipelines.NAME.azureml.*) ---------------

variable "ml_workspace_name" {
  description = "Existing Azure ML workspace: its Event Grid system topic delivers drift and run events, and the service submits pipeline jobs there."
  type        = string
}

variable "ml_workspace_resource_group_name" {
  description = "Resource group of the workspace; null: resource_group_name."
  type        = string
  default     = null
}

variable "ml_system_topic_name" {
  description = "Name of the workspace's Event Grid system topic; null: <workspace>-events. A workspace has at most one: import an existing one (README)."
  type        = string
  default     = null
}

variable "ml_events_subscription_name" {
  description = "Name of the workspace's event subscription (DatasetDriftDetected, RunStatusChanged, RunCompleted)."
  type        = string
  default     = "retrain-trigger-ml-events"
}

variable "pipeline_name" {
  description = "NAME of the pipeline in the application (retrain.pipelines.NAME.*): lower-case letters, digits, '-'."
  type        = string
  default     = "fraud"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]*$", var.pipeline_name))
    error_message = "pipeline_name: lower-case letters, digits and '-'."
  }
}

variable "azureml_component_id" {
  description = "Registered pipeline component the service submits (retrain.pipelines.NAME.azureml.component-id): azureml:<name>:<version> or its ARM id; null: not set here."
  type        = string
  default     = null
}

variable "azureml_experiment_name" {
  description = "Experiment of the pipeline jobs (retrain.pipelines.NAME.azureml.experiment-name); null: the service uses the pipeline's name."
  type        = string
  default     = null
}

variable "azureml_compute" {
  description = "Default compute of the pipeline jobs (retrain.pipelines.NAME.azureml.compute), e.g. azureml:cpu-cluster; null: the component's."
  type        = string
  default     = null
}

variable "azureml_custom_role" {
  description = "Give the identity a custom role (workspace reads, jobs/write) instead of AzureML Data Scientist."
  type        = bool
  default     = false
}

variable "monitors" {
  description = "The pipeline's monitors (retrain.pipelines.NAME.monitors): alert rule names or target resource ids of the Azure Monitor alerts routed through the action group, azureml-endpoint:<endpoint>, azureml-datadrift:<monitor>, azureml-monitor:<signal>. Empty: not set here."
  type        = list(string)
  default     = []
}

# ---- Azure Monitor alerts to the queue -----------------------------------------------------------------

variable "alert_logic_app_name" {
  description = "Logic app that forwards Azure Monitor alerts to the queue; null: <name_prefix>-alerts."
  type        = string
  default     = null
}

variable "action_group_name" {
  description = "Action group to add to drift alert rules; null: <name_prefix>-to-queue."
  type        = string
  default     = null
}

variable "action_group_short_name" {
  description = "Short name of that action group (at most 12 characters)."
  type        = string
  default     = "rt-queue"

  validation {
    condition     = length(var.action_group_short_name) >= 1 && length(var.action_group_short_name) <= 12
    error_message = "action_group_short_name: 1 to 12 characters."
  }
}

variable "notification_emails" {
  description = "E-mail addresses notified when the queue dead-letters messages or a forwarding logic app fails; empty: no such alerts."
  type        = list(string)
  default     = []
}

# ---- Schedule -------------------------------------------------------------------------------------------

variable "schedule" {
  description = "Recurrence of the pipeline's schedule tick (logic app): frequency Minute|Hour|Day|Week|Month, interval, hours and minutes of the day, week days (frequency Week). Default: Sundays 02:00. null: no schedule logic app (the pipeline keeps its own Quartz schedule, if any)."
  type = object({
    frequency = string
    interval  = number
    hours     = list(number)
    minutes   = list(number)
    week_days = list(string)
  })
  default = {
    frequency = "Week"
    interval  = 1
    hours     = [2]
    minutes   = [0]
    week_days = ["Sunday"]
  }
}

variable "schedule_time_zone" {
  description = "Time zone of the schedule (Windows time zone id)."
  type        = string
  default     = "UTC"
}

variable "schedule_logic_app_name" {
  description = "Logic app of the schedule; null: <name_prefix>-<pipeline_name>-schedule."
  type        = string
  default     = null
}

# ---- The managed identity of the service ------------------------------------------------------------------

variable "identity_name" {
  description = "User-assigned managed identity the container runs as."
  type        = string
  default     = "retrain-trigger"
}

variable "aks_workload_identity" {
  description = "AKS workload identity: the cluster's OIDC issuer URL and the Kubernetes namespace and service account whose pods use the identity. null: attach the identity to the app (Container Apps, App Service, VM)."
  type = object({
    oidc_issuer_url = string
    namespace       = string
    service_account = string
  })
  default = null
}
