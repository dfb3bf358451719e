package io.retraintrigger.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.retraintrigger.terraform.Hcl.assertNone;
import static io.retraintrigger.terraform.Hcl.onlyVariable;
import static io.retraintrigger.terraform.Hcl.referencedName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * terraform/azure fits the application: its Service Bus queue is the application's default
 * {@code retrain.sources.azure.queue}, with a bounded delivery count and dead-lettering; every Event Grid
 * subscription, the Azure Monitor alert path (action group, logic app) and the schedule deliver to that queue
 * and may send there; the managed identity may receive from it; each output is named after a property key of
 * the application. Parsed with {@code @cdktf/hcl2json} (see {@link Hcl}).
 */
class TerraformAzureTest {

    /** Outputs of terraform/azure that are not application properties (documented in terraform/azure/README.md). */
    static final Set<String> NON_PROPERTY_OUTPUTS = Set.of("deployment");

    static final String QUEUE = "azurerm_servicebus_queue";
    static final String SUBSCRIPTION = "azurerm_eventgrid_system_topic_event_subscription";
    static final String SYSTEM_TOPIC = "azurerm_eventgrid_system_topic";
    static final String ROLE = "azurerm_role_assignment";
    /** The delivery schemas the service's AzureMessageParser reads. */
    static final Set<String> SCHEMAS = Set.of("CloudEventSchemaV1_0", "EventGridSchema");

    static Hcl.Module azure;

    @BeforeAll
    static void parse() throws Exception {
        azure = Hcl.module("azure");
    }

    @Test
    void azureReferencesAreDeclared() {
        assertEquals(Set.of(), azure.undeclaredReferences("azurerm_"), "terraform/azure references undeclared resources or data sources");
        assertNone(azure.undeclaredVariablesAndLocals(), "terraform/azure references undeclared variables or locals");
    }

    @Test
    void azureQueueIsTheApplicationsDefaultQueue() throws IOException {
        JsonNode queue = azure.resource(QUEUE, triggerQueue());
        String variable = onlyVariable(queue.path("name").asText(), "the trigger queue's name");
        assertEquals(Hcl.requiredApplicationProperty("retrain.sources.azure.queue", "terraform/azure's queue name default"), azure.variableDefault(variable),
                "default of var." + variable + " (the trigger queue's name) must be the application's retrain.sources.azure.queue");
    }

    @Test
    void azureQueueDeadLetters() {
        JsonNode queue = azure.resource(QUEUE, triggerQueue());
        long count = Long.parseLong(azure.variableDefault(onlyVariable(queue.path("max_delivery_count").asText(), "the queue's max_delivery_count")));
        assertTrue(count >= 1 && count <= 2000, "max_delivery_count default must be between 1 and 2000, not " + count);
        assertEquals("true", queue.path("dead_lettering_on_message_expiration").asText(),
                "the queue must dead-letter expired messages (dead_lettering_on_message_expiration = true): an unprocessed signal must not vanish");
        Duration lock = Duration.parse(azure.variableDefault(onlyVariable(queue.path("lock_duration").asText(), "the queue's lock_duration")));
        assertTrue(lock.compareTo(Duration.ofMinutes(1)) >= 0 && lock.compareTo(Duration.ofMinutes(5)) <= 0,
                "lock_duration default must be at least PT1M (longer than processing one message) and at most PT5M (Service Bus' maximum), not " + lock);
    }

    @Test
    void azureEventGridSubscriptionsDeliverToTheQueue() {
        String queue = triggerQueue();
        Map<String, JsonNode> subscriptions = azure.resources(SUBSCRIPTION);
        assertFalse(subscriptions.isEmpty(), "terraform/azure has no Event Grid system topic subscription");
        assertTrue(azure.resources("azurerm_eventgrid_event_subscription").isEmpty(), "use system topic subscriptions (" + SUBSCRIPTION + ")");
        List<String> types = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : subscriptions.entrySet()) {
            String what = SUBSCRIPTION + "." + e.getKey();
            JsonNode s = e.getValue();
            String endpoint = s.has("service_bus_queue_endpoint_id") ? s.path("service_bus_queue_endpoint_id").asText() : s.path("service_bus_queue_id").asText();
            assertEquals("${" + QUEUE + "." + queue + ".id}", endpoint.trim(), what + " must deliver to the trigger queue");

            String schema = s.path("event_delivery_schema").asText();
            schema = schema.startsWith("${var.") ? azure.variableDefault(onlyVariable(schema, what + " event_delivery_schema")) : schema;
            assertTrue(SCHEMAS.contains(schema), what + " delivers in " + schema + "; the service reads " + SCHEMAS);

            String topic = referencedName(s.path("system_topic").asText(), SYSTEM_TOPIC);
            assertNotNull(topic, what + " is not on a system topic of this module: " + s.path("system_topic"));
            assertTrue(s.path("delivery_identity").path(0).isObject(), what + " must deliver with the system topic's managed identity (delivery_identity)");
            assertTrue(mayDoOn(SYSTEM_TOPIC + "." + topic + ".identity", "Azure Service Bus Data Sender", QUEUE, queue),
                    "the identity of system topic " + topic + " is not Azure Service Bus Data Sender on the trigger queue");

            String topicType = azure.resource(SYSTEM_TOPIC, topic).path("topic_type").asText();
            String eventTypes = azure.resolveLocals(s.path("included_event_types").isArray() ? s.path("included_event_types").toString()
                    : s.path("included_event_types").asText());
            types.add(eventTypes);
            if (topicType.equals("Microsoft.Storage.StorageAccounts")) {
                assertTrue(eventTypes.contains("Microsoft.Storage.BlobCreated"), what + " must include Microsoft.Storage.BlobCreated: " + eventTypes);
                String subject = azure.resolveLocals(s.path("subject_filter").path(0).path("subject_begins_with").asText());
                assertTrue(subject.startsWith("/blobServices/default/containers/") && subject.contains("/blobs/"),
                        what + " must filter on the subject /blobServices/default/containers/<container>/blobs/<prefix>: " + subject);
            } else if (topicType.equals("Microsoft.MachineLearningServices.Workspaces")) {
                for (String t : List.of("DatasetDriftDetected", "RunStatusChanged", "RunCompleted")) {
                    assertTrue(eventTypes.contains("Microsoft.MachineLearningServices." + t), what + " must include Microsoft.MachineLearningServices." + t + ": " + eventTypes);
                }
            }
        }
        assertTrue(types.stream().anyMatch(t -> t.contains("Microsoft.Storage.BlobCreated")), "no Event Grid subscription delivers BlobCreated events");
        assertTrue(types.stream().anyMatch(t -> t.contains("Microsoft.MachineLearningServices.")), "no Event Grid subscription delivers Azure ML events");
    }

    @Test
    void azureMonitorAlertsAndTicksReachTheQueue() {
        String queue = triggerQueue();
        // The action group's Logic App receiver, with the common alert schema the service reads.
        String forwarder = null;
        for (JsonNode group : azure.resources("azurerm_monitor_action_group").values()) {
            for (JsonNode receiver : group.path("logic_app_receiver")) {
                assertEquals("true", receiver.path("use_common_alert_schema").asText(), "the action group's logic app receiver must use the common alert schema");
                forwarder = referencedName(receiver.path("resource_id").asText(), "azurerm_logic_app_workflow");
                assertNotNull(forwarder, "the action group's logic app receiver names no azurerm_logic_app_workflow of this module");
                assertTrue(receiver.path("callback_url").asText().contains("azurerm_logic_app_trigger_http_request."),
                        "the logic app receiver must call the logic app's HTTP trigger (callback_url)");
            }
        }
        assertNotNull(forwarder, "no action group forwards Azure Monitor alerts to a logic app (an action group cannot send to Service Bus)");
        assertSendsToQueue(forwarder, queue, "@triggerBody()");

        // The schedule's logic app: a tick naming the pipeline.
        String scheduler = null;
        for (JsonNode recurrence : azure.resources("azurerm_logic_app_trigger_recurrence").values()) {
            scheduler = referencedName(recurrence.path("logic_app_id").asText(), "azurerm_logic_app_workflow");
        }
        assertNotNull(scheduler, "no logic app with a recurrence trigger sends schedule ticks");
        assertSendsToQueue(scheduler, queue, "io.retraintrigger.schedule.tick");
    }

    @Test
    void azureIdentityMayReceiveFromTheQueue() {
        assertTrue(mayDoOn("azurerm_user_assigned_identity.", "Azure Service Bus Data Receiver", QUEUE, triggerQueue()),
                "the service's managed identity is not Azure Service Bus Data Receiver on the trigger queue");
        String clientId = azure.outputValue("retrain_azure_managed_identity_client_id");
        assertTrue(clientId.contains("azurerm_user_assigned_identity.") && clientId.contains(".client_id"),
                "output retrain_azure_managed_identity_client_id must be the identity's client_id: " + clientId);
    }

    @Test
    void azureOutputsAreApplicationPropertyKeys() throws IOException {
        assertFalse(azure.outputs().isEmpty(), "terraform/azure has no output");
        assertNone(azure.outputsThatAreNoPropertyKey(NON_PROPERTY_OUTPUTS), "terraform/azure outputs that are no application property key");
        for (String required : List.of("retrain_sources_azure_enabled", "retrain_sources_azure_namespace", "retrain_sources_azure_queue",
                "retrain_azure_managed_identity_client_id", "retrain_pipelines")) {
            assertTrue(azure.outputs().contains(required), "terraform/azure has no output " + required);
        }
        assertTrue(azure.outputValue("retrain_sources_azure_queue").contains(QUEUE + "." + triggerQueue() + ".name"),
                "output retrain_sources_azure_queue must be the trigger queue's name");
    }

    @Test
    void azureConfigurationKeysAreTheApplications() throws IOException {
        assertNone(TerraformGcpTest.unknownConfigurationKeys(azure),
                "keys of local.application_properties (terraform/azure's configuration of the service) that the application does not have");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** The one azurerm_servicebus_queue: the queue the service consumes. */
    static String triggerQueue() {
        Set<String> queues = azure.resourceNames(QUEUE);
        assertEquals(1, queues.size(), "terraform/azure must declare exactly one azurerm_servicebus_queue (the trigger queue), found " + queues);
        return queues.iterator().next();
    }

    /**
     * Some role assignment gives the role on RESOURCE_TYPE.NAME (scope {@code ${type.name.id}}) to a principal whose
     * expression (or, with {@code principal_id = each.value}, one of its for_each values) contains principalPart.
     */
    static boolean mayDoOn(String principalPart, String role, String resourceType, String resourceName) {
        for (JsonNode a : azure.resources(ROLE).values()) {
            if (!role.equals(a.path("role_definition_name").asText())) continue;
            if (!("${" + resourceType + "." + resourceName + ".id}").equals(a.path("scope").asText().trim())) continue;
            String principal = a.path("principal_id").asText();
            List<String> principals = principal.trim().equals("${each.value}")
                    ? Hcl.strings(azure.local(forEachLocal(a))) : List.of(principal);
            if (principals.stream().anyMatch(p -> p.contains(principalPart))) return true;
        }
        return false;
    }

    private static String forEachLocal(JsonNode assignment) {
        var m = java.util.regex.Pattern.compile("local\\.([a-z_][a-z0-9_]*)").matcher(assignment.path("for_each").asText());
        assertTrue(m.find(), "a role assignment with principal_id = each.value must iterate a local map: " + assignment.path("for_each"));
        return m.group(1);
    }

    /** The logic app has a custom action that POSTs (with its managed identity) what it is given to the queue, and may send there. */
    static void assertSendsToQueue(String workflow, String queue, String bodyPart) {
        String what = "logic app azurerm_logic_app_workflow." + workflow;
        boolean sends = false;
        for (JsonNode action : azure.resources("azurerm_logic_app_action_custom").values()) {
            if (!workflow.equals(referencedName(action.path("logic_app_id").asText(), "azurerm_logic_app_workflow"))) continue;
            String body = action.path("body").asText();
            if (!body.contains(bodyPart)) continue;
            String uri = body.contains("local.queue_messages_url") ? azure.resolveLocals("${local.queue_messages_url}") : body;
            assertTrue(uri.contains(QUEUE + "." + queue + ".name") && uri.contains("/messages"),
                    what + " must send to the trigger queue's REST endpoint (https://<namespace>/<queue>/messages): " + uri);
            assertTrue(body.contains("ManagedServiceIdentity") && body.contains("https://servicebus.azure.net"),
                    what + " must authenticate to Service Bus with its managed identity (audience https://servicebus.azure.net)");
            sends = true;
        }
        assertTrue(sends, what + " has no action that sends " + bodyPart + " to the queue");
        assertTrue(mayDoOn("azurerm_logic_app_workflow." + workflow + ".identity", "Azure Service Bus Data Sender", QUEUE, queue)
                        || mayDoOn("azurerm_logic_app_workflow." + workflow + "[0].identity", "Azure Service Bus Data Sender", QUEUE, queue),
                what + "'s identity is not Azure Service Bus Data Sender on the trigger queue");
    }
}
