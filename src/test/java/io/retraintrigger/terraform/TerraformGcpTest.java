package io.retraintrigger.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.retraintrigger.terraform.Hcl.assertNone;
import static io.retraintrigger.terraform.Hcl.instanceKeys;
import static io.retraintrigger.terraform.Hcl.onlyVariable;
import static io.retraintrigger.terraform.Hcl.referencedName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * terraform/gcp fits the application: the subscriptions the application consumes by default
 * ({@code retrain.sources.gcp.subscriptions}) are the ones terraform creates, each with a working dead-letter
 * policy; every source (Cloud Storage notifications, the Vertex AI log sink, the Pub/Sub notification channel,
 * Cloud Scheduler) publishes to a topic whose subscription the service consumes, and may publish there; each
 * output is named after a property key of the application. Parsed with {@code @cdktf/hcl2json} (see {@link Hcl}).
 */
class TerraformGcpTest {

    /** Outputs of terraform/gcp that are not application properties (documented in terraform/gcp/README.md). */
    static final Set<String> NON_PROPERTY_OUTPUTS = Set.of("deployment");

    static final String SUBSCRIPTION = "google_pubsub_subscription";
    static final String TOPIC = "google_pubsub_topic";

    static Hcl.Module gcp;

    @BeforeAll
    static void parse() throws Exception {
        gcp = Hcl.module("gcp");
    }

    @Test
    void gcpReferencesAreDeclared() {
        assertEquals(Set.of(), gcp.undeclaredReferences("google_"), "terraform/gcp references undeclared resources or data sources");
        assertNone(gcp.undeclaredVariablesAndLocals(), "terraform/gcp references undeclared variables or locals");
    }

    @Test
    void gcpSubscriptionsAreTheApplicationsDefaults() throws IOException {
        List<String> app = Arrays.stream(Hcl.requiredApplicationProperty("retrain.sources.gcp.subscriptions",
                        "the subscriptions terraform/gcp creates").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        assertFalse(app.isEmpty(), "retrain.sources.gcp.subscriptions names no subscription");

        List<String> terraform = new ArrayList<>();
        for (String name : consumedSubscriptionResources()) {
            terraform.addAll(gcp.defaultsOf(gcp.resource(SUBSCRIPTION, name), "name", SUBSCRIPTION + "." + name + ".name"));
        }
        assertEquals(new TreeSet<>(app), new TreeSet<>(terraform),
                "the subscriptions terraform/gcp creates by default (and names in output retrain_sources_gcp_subscriptions) must be the"
                        + " application's retrain.sources.gcp.subscriptions");
        assertEquals(app.size(), new TreeSet<>(app).size(), "retrain.sources.gcp.subscriptions names a subscription twice: " + app);
    }

    @Test
    void gcpConsumedSubscriptionsDeadLetter() {
        for (String name : consumedSubscriptionResources()) {
            JsonNode sub = gcp.resource(SUBSCRIPTION, name);
            String what = SUBSCRIPTION + "." + name;
            String ownTopic = referencedName(sub.path("topic").asText(), TOPIC);
            assertNotNull(ownTopic, what + " is not attached to a google_pubsub_topic of this module");

            JsonNode policy = sub.path("dead_letter_policy").path(0);
            assertTrue(policy.isObject(), what + " has no dead_letter_policy: a message it cannot process would be redelivered for ever");
            String deadLetterTopic = referencedName(policy.path("dead_letter_topic").asText(), TOPIC);
            assertNotNull(deadLetterTopic, what + ".dead_letter_policy.dead_letter_topic names no google_pubsub_topic: " + policy.path("dead_letter_topic"));
            assertTrue(gcp.resourceNames(TOPIC).contains(deadLetterTopic), "the dead-letter topic google_pubsub_topic." + deadLetterTopic + " is not declared");
            assertNotEquals(ownTopic, deadLetterTopic, what + " cannot dead-letter to the topic it reads");
            long attempts = Long.parseLong(gcp.variableDefault(onlyVariable(policy.path("max_delivery_attempts").asText(), what + " max_delivery_attempts")));
            assertTrue(attempts >= 5 && attempts <= 100, "max_delivery_attempts default must be between 5 and 100 (Pub/Sub's range), not " + attempts);

            // A topic without a subscription drops what it receives: the dead letters need one.
            boolean kept = gcp.resources(SUBSCRIPTION).values().stream()
                    .anyMatch(s -> deadLetterTopic.equals(referencedName(s.path("topic").asText(), TOPIC)));
            assertTrue(kept, "no google_pubsub_subscription on the dead-letter topic google_pubsub_topic." + deadLetterTopic + ": dead letters would be lost");

            // Pub/Sub's service agent forwards: it publishes to the dead-letter topic and acks on the subscription.
            assertTrue(granted("google_pubsub_topic_iam_member", "topic", TOPIC, deadLetterTopic, "roles/pubsub.publisher", "gcp-sa-pubsub"),
                    "the Pub/Sub service agent (gcp-sa-pubsub) may not publish to google_pubsub_topic." + deadLetterTopic + ": nothing would be dead-lettered");
            assertTrue(granted("google_pubsub_subscription_iam_member", "subscription", SUBSCRIPTION, name, "roles/pubsub.subscriber", "gcp-sa-pubsub"),
                    "the Pub/Sub service agent (gcp-sa-pubsub) may not subscribe to " + what + ": nothing would be dead-lettered");

            assertTrue(sub.path("retry_policy").path(0).isObject(), what + " has no retry_policy: a nacked message would come back at once");
            long ack = Long.parseLong(gcp.variableDefault(onlyVariable(sub.path("ack_deadline_seconds").asText(), what + " ack_deadline_seconds")));
            assertTrue(ack >= 10 && ack <= 600, "ack_deadline_seconds default must be between 10 and 600, not " + ack);
            assertEquals("", sub.path("expiration_policy").path(0).path("ttl").asText("missing"),
                    what + " must never expire (expiration_policy { ttl = \"\" }): a source switched off for 31 days would lose its subscription");
        }
    }

    @Test
    void gcpSourcesPublishToConsumedTopics() {
        // Cloud Storage notifications of new data, with the object's resource (its size) as payload.
        JsonNode notification = only("google_storage_notification");
        assertConsumedTopic(notification.path("topic").asText(), "google_storage_notification.topic");
        assertEquals("JSON_API_V1", notification.path("payload_format").asText(), "the notification's payload_format (the parser reads the size from JSON_API_V1)");
        assertTrue(notification.path("event_types").toString().contains("OBJECT_FINALIZE"), "the notification must send OBJECT_FINALIZE: " + notification.path("event_types"));
        assertFalse(notification.path("object_name_prefix").asText("").isEmpty(), "the notification must be limited to the data prefix (object_name_prefix)");
        assertTrue(grantedTo(notification.path("topic").asText(), "data.google_storage_project_service_account."),
                "the Cloud Storage service agent (data.google_storage_project_service_account) may not publish to the notification's topic");

        // The log sink of Vertex AI model monitoring anomalies and pipeline job states, with its writer identity.
        for (Map.Entry<String, JsonNode> sink : gcp.resources("google_logging_project_sink").entrySet()) {
            String destination = sink.getValue().path("destination").asText();
            assertTrue(destination.startsWith("pubsub.googleapis.com/"), "log sink " + sink.getKey() + " must deliver to Pub/Sub: " + destination);
            assertConsumedTopic(destination, "google_logging_project_sink." + sink.getKey() + ".destination");
            String filter = gcp.expandLocals(sink.getValue().path("filter").asText());
            assertTrue(filter.contains("model_monitoring_anomaly") && filter.contains("pipeline_job_events"),
                    "log sink " + sink.getKey() + " must forward model monitoring anomalies and pipeline job states: " + filter);
            assertTrue(grantedTo(destination, "google_logging_project_sink." + sink.getKey() + ".writer_identity"),
                    "the writer identity of log sink " + sink.getKey() + " may not publish to its destination");
        }
        assertFalse(gcp.resources("google_logging_project_sink").isEmpty(), "terraform/gcp has no log sink of Vertex AI entries");

        // The Pub/Sub notification channel of the drift alert policy, and the monitoring service agent.
        String driftChannel = null;
        for (Map.Entry<String, JsonNode> channel : gcp.resources("google_monitoring_notification_channel").entrySet()) {
            if (!"pubsub".equals(channel.getValue().path("type").asText())) continue;
            String topic = channel.getValue().path("labels").path("topic").asText();
            if (consumedTopicResources().contains(referencedName(topic, TOPIC))) {
                driftChannel = channel.getKey();
                assertConsumedTopic(topic, "google_monitoring_notification_channel." + channel.getKey() + ".labels.topic");
                assertTrue(grantedTo(topic, "gcp-sa-monitoring-notification"),
                        "the monitoring notification service agent may not publish to the topic of channel " + channel.getKey());
            }
        }
        assertNotNull(driftChannel, "no Pub/Sub notification channel publishes to a topic the service consumes");
        for (Map.Entry<String, JsonNode> policy : gcp.resources("google_monitoring_alert_policy").entrySet()) {
            if (policy.getValue().path("notification_channels").toString().contains("google_monitoring_notification_channel." + driftChannel + ".")) {
                assertTrue(policy.getKey().contains("drift"), "only the drift alert policy may notify the channel the service consumes"
                        + " (its incidents are read as drift), not google_monitoring_alert_policy." + policy.getKey());
            }
        }

        // Cloud Scheduler ticks naming the pipeline.
        JsonNode job = only("google_cloud_scheduler_job");
        JsonNode target = job.path("pubsub_target").path(0);
        assertConsumedTopic(target.path("topic_name").asText(), "google_cloud_scheduler_job.pubsub_target.topic_name");
        assertTrue(target.path("data").asText().contains("pipeline"), "the scheduler job's data must name the pipeline ({\"pipeline\": ...}): " + target.path("data"));
    }

    @Test
    void gcpOutputsAreApplicationPropertyKeys() throws IOException {
        assertFalse(gcp.outputs().isEmpty(), "terraform/gcp has no output");
        assertNone(gcp.outputsThatAreNoPropertyKey(NON_PROPERTY_OUTPUTS), "terraform/gcp outputs that are no application property key");
        for (String required : List.of("retrain_gcp_project_id", "retrain_sources_gcp_enabled", "retrain_sources_gcp_subscriptions", "retrain_pipelines")) {
            assertTrue(gcp.outputs().contains(required), "terraform/gcp has no output " + required);
        }
        String subscriptions = subscriptionsExpression();
        assertTrue(subscriptions.contains(SUBSCRIPTION + "."), "output retrain_sources_gcp_subscriptions must name the subscriptions terraform creates: " + subscriptions);
    }

    @Test
    void gcpConfigurationKeysAreTheApplications() throws IOException {
        assertNone(unknownConfigurationKeys(gcp), "keys of local.application_properties (terraform/gcp's configuration of the service) that the application does not have");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** The google_pubsub_subscription resources named by output retrain_sources_gcp_subscriptions. */
    static List<String> consumedSubscriptionResources() {
        String expression = subscriptionsExpression();
        Set<String> names = new TreeSet<>();
        var m = java.util.regex.Pattern.compile("(?<![\\w.])" + SUBSCRIPTION + "\\.([a-z_][a-z0-9_-]*)").matcher(expression);
        while (m.find()) names.add(m.group(1));
        assertFalse(names.isEmpty(), "output retrain_sources_gcp_subscriptions names no google_pubsub_subscription: " + expression);
        names.forEach(n -> assertTrue(gcp.resourceNames(SUBSCRIPTION).contains(n), "google_pubsub_subscription." + n + " is not declared"));
        return List.copyOf(names);
    }

    /** The expression that makes retrain.sources.gcp.subscriptions (through local.application_properties when the output uses it). */
    static String subscriptionsExpression() {
        String value = gcp.outputValue("retrain_sources_gcp_subscriptions");
        if (value.contains(SUBSCRIPTION + ".")) return value;
        String properties = gcp.resolveLocals(value.replaceAll("\\[\"[^\"]*\"]}$", "}"));
        for (String line : properties.split("\n")) {
            if (line.contains("\"retrain.sources.gcp.subscriptions\"")) return line;
        }
        return value;
    }

    /** The topics of the consumed subscriptions (google_pubsub_topic resource names). */
    static Set<String> consumedTopicResources() {
        return consumedSubscriptionResources().stream()
                .map(s -> referencedName(gcp.resource(SUBSCRIPTION, s).path("topic").asText(), TOPIC))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The expression names a google_pubsub_topic that a consumed subscription reads (and, with an instance key, an instance of it). */
    static void assertConsumedTopic(String expression, String what) {
        String topic = referencedName(expression, TOPIC);
        assertNotNull(topic, what + " names no google_pubsub_topic of this module: " + expression);
        assertTrue(consumedTopicResources().contains(topic), what + " publishes to google_pubsub_topic." + topic
                + ", which no subscription of retrain.sources.gcp.subscriptions reads");
        JsonNode topicBlock = gcp.resource(TOPIC, topic);
        Set<String> keys = instanceKeys(expression, TOPIC, topic);
        Set<String> instances = gcp.forEachKeys(topicBlock);
        for (String key : keys) {
            assertTrue(instances.contains(key), what + " names google_pubsub_topic." + topic + "[\"" + key + "\"], which is not one of its instances " + instances);
        }
    }

    /** Some IAM member resource of the type grants the role on RESOURCE_TYPE.NAME to a member whose text contains memberPart. */
    static boolean granted(String iamType, String attribute, String resourceType, String resourceName, String role, String memberPart) {
        return gcp.resources(iamType).values().stream().anyMatch(g -> resourceName.equals(referencedName(g.path(attribute).asText(), resourceType))
                && role.equals(g.path("role").asText())
                && gcp.expandLocals(g.path("member").asText()).contains(memberPart));
    }

    /** Some google_pubsub_topic_iam_member grants roles/pubsub.publisher on the topic (instance) the expression names to a member containing memberPart. */
    static boolean grantedTo(String topicExpression, String memberPart) {
        String topic = referencedName(topicExpression, TOPIC);
        Set<String> keys = instanceKeys(topicExpression, TOPIC, topic);
        for (JsonNode g : gcp.resources("google_pubsub_topic_iam_member").values()) {
            if (!"roles/pubsub.publisher".equals(g.path("role").asText())) continue;
            String direct = g.path("topic").asText();
            // topic = each.value with for_each = { name = google_pubsub_topic.x.id, ... }: each of those topics
            List<String> targets = direct.equals("${each.value}") ? Hcl.strings(g.path("for_each")) : List.of(direct);
            String member = gcp.expandLocals(g.path("member").asText());
            for (String t : targets) {
                if (!topic.equals(referencedName(t, TOPIC))) continue;
                if (!keys.isEmpty() && !keys.equals(instanceKeys(t, TOPIC, topic))) continue;
                if (member.contains(memberPart)) return true;
            }
        }
        return false;
    }

    static JsonNode only(String type) {
        Map<String, JsonNode> all = gcp.resources(type);
        assertEquals(1, all.size(), "terraform/gcp must declare one " + type + ", found " + all.keySet());
        return all.values().iterator().next();
    }

    /**
     * Keys of {@code local.application_properties} (the configuration the module outputs) that are not keys of
     * the application: full {@code retrain.*} keys, and the pipeline's keys as {@code retrain.pipelines.*.<key>}.
     */
    static List<String> unknownConfigurationKeys(Hcl.Module module) throws IOException {
        String properties = module.local("application_properties").asText();
        Set<String> known = Hcl.knownKeys();
        List<String> unknown = new ArrayList<>();
        Set<String> keys = Hcl.quotedKeys(properties);
        assertFalse(keys.isEmpty(), "local.application_properties of " + module.where() + " has no literal key");
        for (String key : keys) {
            String full = key.startsWith("retrain.") ? key : "retrain.pipelines.*." + key;
            if (!Hcl.isKnown(full, known)) unknown.add(full);
        }
        return unknown;
    }
}
