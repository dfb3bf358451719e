package io.retraintrigger.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.retraintrigger.terraform.Hcl.assertNone;
import static io.retraintrigger.terraform.Hcl.onlyVariable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The terraform of every cloud (terraform/&#42;&#42;/&#42;.tf) parses, and terraform/aws fits the application:
 * its trigger queue is the application's default {@code retrain.sources.aws.queue}, its data queue the
 * suggested {@code retrain.sources.aws.data-queue}, S3 notifications go to the data queue and everything
 * else to the trigger queue, both queues have a dead-letter redrive and may be consumed by the service,
 * and each output is named after a property key of the application ({@code retrain_x_y} for
 * {@code retrain.x.y} / {@code retrain.x-y}). No terraform binary here: {@code @cdktf/hcl2json} from
 * tools/ (installed by {@code npm ci} when missing) parses HCL to JSON (see {@link Hcl}).
 */
class TerraformAwsTest {

    /** Outputs of terraform/aws that are not application properties (documented in terraform/aws/README.md). */
    static final Set<String> NON_PROPERTY_OUTPUTS = Set.of("deployment");

    /** Every .tf file under terraform/, and what it parsed to (a JSON object) or why it did not ({"error": "..."}). */
    static Map<Path, JsonNode> parsed;

    @BeforeAll
    static void parseAll() throws Exception {
        parsed = Hcl.parsed();
    }

    // ---- every cloud -----------------------------------------------------------------------------------

    @Test
    void everyTerraformFileParses() {
        List<String> errors = new ArrayList<>();
        parsed.forEach((file, result) -> {
            if (result.has("error")) errors.add(Hcl.root().relativize(file) + ": " + result.get("error").asText());
        });
        assertTrue(errors.isEmpty(), "terraform files that do not parse:\n" + String.join("\n", errors));
    }

    @Test
    void everyVariableAndLocalReferencedIsDeclared() throws Exception {
        List<String> errors = new ArrayList<>();
        for (Path module : Hcl.moduleDirectories()) errors.addAll(Hcl.undeclaredVariablesAndLocals(Hcl.filesIn(module)));
        assertTrue(errors.isEmpty(), String.join("\n", errors));
    }

    // ---- terraform/aws ---------------------------------------------------------------------------------

    @Test
    void awsResourcesReferencedAreDeclared() throws Exception {
        Set<String> missing = aws().undeclaredReferences("aws_");
        assertTrue(missing.isEmpty(), "terraform/aws references undeclared resources or data sources: " + missing);
    }

    @Test
    void awsQueueIsTheApplicationsDefaultQueue() throws Exception {
        JsonNode queue = triggerQueue();
        String variable = onlyVariable(queue.path("name").asText(), "the trigger queue's name");
        String expected = Hcl.requiredApplicationProperty("retrain.sources.aws.queue", "terraform/aws's queue name default");
        assertEquals(expected, aws().variableDefault(variable),
                "default of var." + variable + " (the trigger queue's name) must be the application's retrain.sources.aws.queue");
    }

    @Test
    void awsDataQueueIsTheApplicationsSuggestedDataQueue() throws Exception {
        // The application has no default for the (optional) data queue: application.properties suggests one,
        // commented out, unless it sets one.
        String expected = Hcl.applicationProperty(DATA_QUEUE_KEY).orElseGet(TerraformAwsTest::suggestedDataQueue);
        String variable = onlyVariable(dataQueue().path("name").asText(), "the data queue's name");
        assertEquals(expected, aws().variableDefault(variable),
                "default of var." + variable + " (the data queue's name) must be application.properties' " + DATA_QUEUE_KEY);
        String triggerVariable = onlyVariable(triggerQueue().path("name").asText(), "the trigger queue's name");
        assertNotEquals(aws().variableDefault(triggerVariable), aws().variableDefault(variable), "the data queue is another queue than the trigger queue");
        assertNotEquals(triggerQueueName(), dataQueueName(), "the data queue is another queue than the trigger queue");
    }

    @Test
    void awsQueuePropertiesNameTheQueuesTerraformCreates() throws Exception {
        String outputs = java.nio.file.Files.readString(Hcl.root().resolve("terraform/aws/outputs.tf"));
        Map<String, String> keyToQueue = Map.of("retrain.sources.aws.queue", triggerQueueName(), DATA_QUEUE_KEY, dataQueueName());
        for (var e : keyToQueue.entrySet()) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(e.getKey()) + "\"\\s*=\\s*aws_sqs_queue\\.([a-z_][a-z0-9_-]*)\\.name\\b").matcher(outputs);
            assertTrue(m.find(), "local.application_properties must map " + e.getKey() + " to aws_sqs_queue.<queue>.name");
            assertEquals(e.getValue(), m.group(1), "local.application_properties' " + e.getKey() + " must be the queue of its output");
        }
    }

    @Test
    void awsQueueTimingsAreTheApplicationsDefaults() throws Exception {
        Map<String, String> attributeToKey = Map.of(
                "visibility_timeout_seconds", "retrain.sources.aws.visibility-timeout",
                "receive_wait_time_seconds", "retrain.sources.aws.wait-time-seconds");
        // One setting of the application for both consumer routes: both queues must have it.
        for (String queueName : consumedQueueNames()) {
            JsonNode queue = aws().resource("aws_sqs_queue", queueName);
            for (var e : attributeToKey.entrySet()) {
                Optional<String> app = Hcl.applicationProperty(e.getValue());
                if (app.isEmpty()) continue; // not a key of the application (yet): nothing to agree with
                String variable = onlyVariable(queue.path(e.getKey()).asText(), "queue " + queueName + "'s " + e.getKey());
                assertEquals(Long.parseLong(app.get().trim()), Long.parseLong(aws().variableDefault(variable)),
                        "default of var." + variable + " (queue " + queueName + "'s " + e.getKey() + ") must be the application's " + e.getValue());
            }
            assertTrue(queue.path("sqs_managed_sse_enabled").asBoolean(false), "queue " + queueName + ": sqs_managed_sse_enabled = true");
        }
    }

    @Test
    void awsQueuesHaveDeadLetterRedrive() throws Exception {
        List<String> consumed = consumedQueueNames();
        Set<String> dlqs = new TreeSet<>();
        for (String queueName : consumed) {
            String redrive = aws().resource("aws_sqs_queue", queueName).path("redrive_policy").asText("");
            Matcher target = Pattern.compile("deadLetterTargetArn\\s*=\\s*aws_sqs_queue\\.([a-z_][a-z0-9_-]*)\\.arn").matcher(redrive);
            assertTrue(target.find(), "queue " + queueName + "'s redrive_policy names no aws_sqs_queue.<dlq>.arn as deadLetterTargetArn: " + redrive);
            String dlq = target.group(1);
            assertTrue(aws().resourceNames("aws_sqs_queue").contains(dlq), "the dead-letter queue aws_sqs_queue." + dlq + " is not declared");
            assertFalse(consumed.contains(dlq), "queue " + queueName + "'s dead-letter queue cannot be a queue the service consumes");
            Matcher max = Pattern.compile("maxReceiveCount\\s*=\\s*var\\.([a-z_][a-z0-9_]*)").matcher(redrive);
            assertTrue(max.find(), "queue " + queueName + "'s maxReceiveCount is not a variable: " + redrive);
            long count = Long.parseLong(aws().variableDefault(max.group(1)));
            assertTrue(count >= 1 && count <= 1000, "maxReceiveCount default must be between 1 and 1000, not " + count);
            dlqs.add(dlq);
        }
        // Every dead-letter queue lets exactly the queues that redrive to it do so.
        for (String dlq : dlqs) {
            List<String> allowPolicies = new ArrayList<>();
            aws().resources("aws_sqs_queue_redrive_allow_policy").forEach((name, block) -> {
                if (dlq.equals(Hcl.referencedName(block.path("queue_url").asText(), "aws_sqs_queue"))) allowPolicies.add(block.path("redrive_allow_policy").asText(""));
            });
            assertEquals(1, allowPolicies.size(), "aws_sqs_queue." + dlq + " must have one aws_sqs_queue_redrive_allow_policy");
            Set<String> allowed = arnsOfQueues(allowPolicies.get(0));
            Set<String> redriving = new TreeSet<>();
            for (String queueName : consumed) {
                if (aws().resource("aws_sqs_queue", queueName).path("redrive_policy").asText("").contains("aws_sqs_queue." + dlq + ".arn")) redriving.add(queueName);
            }
            assertEquals(redriving, allowed, "the redrive-allow policy of aws_sqs_queue." + dlq + " (sourceQueueArns) must list the queues that redrive to it");
        }
    }

    /** Every queue's policy refuses requests without TLS: it merges the tls_only statement made for that queue's ARN. */
    @Test
    void everyQueueRefusesRequestsWithoutTls() throws Exception {
        JsonNode documents = aws().merged().path("data").path("aws_iam_policy_document");
        JsonNode tlsOnly = documents.path("tls_only").path(0);
        JsonNode deny = tlsOnly.path("statement").path(0);
        assertEquals("Deny", deny.path("effect").asText());
        assertTrue(deny.path("condition").toString().contains("aws:SecureTransport"), deny.toString());
        assertTrue(deny.path("resources").toString().contains("each.value"), deny.toString());
        for (String queue : aws().resources("aws_sqs_queue").keySet()) {
            JsonNode policy = aws().resources("aws_sqs_queue_policy").values().stream()
                    .filter(p -> queue.equals(Hcl.referencedName(p.path("queue_url").asText(), "aws_sqs_queue"))).findFirst()
                    .orElseThrow(() -> new AssertionError("aws_sqs_queue." + queue + " has no aws_sqs_queue_policy"));
            String document = Hcl.referencedName(policy.path("policy").asText(), "data.aws_iam_policy_document");
            StringBuilder sources = new StringBuilder();
            documents.path(document).path(0).path("source_policy_documents").forEach(d -> sources.append(d.asText()).append(' '));
            Set<String> keys = Hcl.instanceKeys(sources.toString(), "data.aws_iam_policy_document", "tls_only");
            assertEquals(1, keys.size(), "the policy of aws_sqs_queue." + queue + " must merge one tls_only statement: " + sources);
            String key = keys.iterator().next();
            assertEquals("${aws_sqs_queue." + queue + ".arn}", tlsOnly.path("for_each").path(key).asText(),
                    "tls_only[\"" + key + "\"] must deny on aws_sqs_queue." + queue + ".arn");
        }
    }

    /** S3 notifications on the data queue, every other signal on the trigger queue, each queue's policy letting its rules send. */
    @Test
    void awsEventBridgeRulesTargetTheirQueues() throws Exception {
        String trigger = triggerQueueName();
        String data = dataQueueName();
        Map<String, JsonNode> rules = aws().resources("aws_cloudwatch_event_rule");
        Map<String, Set<String>> rulesOfQueue = new TreeMap<>();
        for (var t : aws().resources("aws_cloudwatch_event_target").entrySet()) {
            String name = t.getKey();
            JsonNode target = t.getValue();
            String queue = Hcl.referencedName(target.path("arn").asText(), "aws_sqs_queue");
            if (queue == null) continue; // not a queue target
            Set<String> targeted = rulesOf(target);
            assertFalse(targeted.isEmpty(), "aws_cloudwatch_event_target." + name + " names no aws_cloudwatch_event_rule");
            rulesOfQueue.computeIfAbsent(queue, q -> new TreeSet<>()).addAll(targeted);
            String dlq = Hcl.referencedName(target.path("dead_letter_config").path(0).path("arn").asText(""), "aws_sqs_queue");
            assertTrue(dlq != null && !dlq.equals(trigger) && !dlq.equals(data),
                    "aws_cloudwatch_event_target." + name + " needs a dead_letter_config to the dead-letter queue");
            assertTrue(target.path("retry_policy").isArray() && target.path("retry_policy").size() == 1,
                    "aws_cloudwatch_event_target." + name + " needs a retry_policy");
        }
        rulesOfQueue.forEach((queue, targeted) -> {
            for (String rule : targeted) {
                assertTrue(rules.containsKey(rule), "aws_cloudwatch_event_rule." + rule + " is not declared");
                boolean s3 = rules.get(rule).path("event_pattern").asText("").contains("\"aws.s3\"");
                assertEquals(s3 ? data : trigger, queue, "aws_cloudwatch_event_rule." + rule + (s3 ? " (S3 notifications) must target the data queue"
                        : " (no S3 notification) must target the trigger queue, not the data queue"));
            }
        });
        assertFalse(rulesOfQueue.getOrDefault(data, Set.of()).isEmpty(), "no rule targets the data queue aws_sqs_queue." + data);
        assertFalse(rulesOfQueue.getOrDefault(trigger, Set.of()).isEmpty(), "no rule targets the trigger queue aws_sqs_queue." + trigger);
        for (var e : rulesOfQueue.entrySet()) {
            Set<String> allowed = rulesAllowedToSend(e.getKey());
            assertTrue(allowed.containsAll(e.getValue()), "the queue policy of aws_sqs_queue." + e.getKey() + " must let EventBridge rules "
                    + e.getValue() + " send (aws:SourceArn); it allows " + allowed);
        }
    }

    @Test
    void awsServiceMayConsumeBothQueues() throws Exception {
        JsonNode statements = aws().merged().path("data").path("aws_iam_policy_document").path("service").path(0).path("statement");
        Set<String> receivable = new TreeSet<>();
        for (JsonNode st : statements) {
            Set<String> actions = new TreeSet<>();
            st.path("actions").forEach(a -> actions.add(a.asText()));
            if (!"Allow".equals(st.path("effect").asText("Allow")) || !actions.containsAll(Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
                    "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"))) continue;
            receivable.addAll(arnsOfQueues(st.path("resources").toString()));
        }
        assertEquals(new TreeSet<>(consumedQueueNames()), receivable,
                "the service's policy must let it receive, delete, change the visibility of and read the attributes of exactly the queues it consumes");
    }

    @Test
    void awsAuditBusAndNotifyTopicAreTheOnesTerraformCreates() throws Exception {
        String outputs = java.nio.file.Files.readString(Hcl.root().resolve("terraform/aws/outputs.tf"));
        Matcher bus = Pattern.compile("\"retrain\\.audit\\.uri\"\\s*=\\s*\"aws2-eventbridge://\\$\\{aws_cloudwatch_event_bus\\.([a-z_][a-z0-9_-]*)\\.name}\\?operation=putEvent\"")
                .matcher(outputs);
        assertTrue(bus.find(), "retrain.audit.uri must be the aws2-eventbridge putEvent endpoint of a bus terraform creates");
        assertTrue(aws().resourceNames("aws_cloudwatch_event_bus").contains(bus.group(1)), "aws_cloudwatch_event_bus." + bus.group(1) + " is not declared");
        Matcher topic = Pattern.compile("\"retrain\\.notify\\.uri\"\\s*=\\s*\"aws2-sns:\\$\\{aws_sns_topic\\.([a-z_][a-z0-9_-]*)\\.arn}").matcher(outputs);
        assertTrue(topic.find(), "retrain.notify.uri must be the aws2-sns endpoint of a topic terraform creates");
        assertTrue(aws().resourceNames("aws_sns_topic").contains(topic.group(1)), "aws_sns_topic." + topic.group(1) + " is not declared");
        // the role may only put events with the source and detail type the application sends by default
        assertEquals(Hcl.requiredApplicationProperty("retrain.audit.source", "the decisions bus's source"), aws().variableDefault("audit_event_source"));
        assertEquals(Hcl.requiredApplicationProperty("retrain.audit.detail-type", "the decisions bus's detail type"), aws().variableDefault("audit_detail_type"));
    }

    @Test
    void awsOutputsAreApplicationPropertyKeys() throws Exception {
        assertFalse(aws().outputs().isEmpty(), "terraform/aws has no output");
        assertNone(aws().outputsThatAreNoPropertyKey(NON_PROPERTY_OUTPUTS), "terraform/aws outputs that are no application property key");
    }

    @Test
    void awsDynamoDbTablesAreTheAdapters() throws Exception {
        Class<?> tables;
        Class<?> names;
        try {
            tables = Class.forName("io.retraintrigger.store.dynamodb.DynamoDbTables");
            names = Class.forName("io.retraintrigger.store.dynamodb.DynamoDbTables$Names");
        } catch (ClassNotFoundException noAdapter) {
            Assumptions.abort("no DynamoDB adapter (io.retraintrigger.store.dynamodb.DynamoDbTables) to compare with");
            return;
        }
        // The adapter's definitions, without prefix: table -> hash key, indexes (name -> hash, range, projection).
        Object unprefixed = names.getMethod("withPrefix", String.class).invoke(null, "");
        List<?> definitions = (List<?>) tables.getMethod("definitions", names).invoke(null, unprefixed);

        Hcl.Module aws = aws();
        JsonNode resource = aws.merged().path("resource").path("aws_dynamodb_table");
        assertEquals(1, resource.size(), "terraform/aws must declare the state store tables as one aws_dynamodb_table (for_each over local.dynamodb_tables)");
        JsonNode table = resource.elements().next().get(0);
        assertEquals("${local.dynamodb_tables}", table.path("for_each").asText(), "the tables are made for_each = local.dynamodb_tables");
        assertEquals("PAY_PER_REQUEST", table.path("billing_mode").asText(), "billing_mode");
        assertEquals("true", table.path("point_in_time_recovery").path(0).path("enabled").asText(), "point_in_time_recovery { enabled = true }");
        assertFalse(table.has("ttl") || table.path("dynamic").has("ttl"), "no table of the adapter has a TTL attribute, so terraform sets none");
        assertEquals("KEYS_ONLY", table.path("dynamic").path("global_secondary_index").path(0).path("content").path(0).path("projection_type").asText(""),
                "every index projects KEYS_ONLY, as the adapter reads records from the table");
        String prefixVariable = onlyVariable(table.path("name").asText().replace("${each.key}", ""), "the table name without ${each.key}");
        // the one place of the default (application.properties; the mapping sets none)
        String appPrefix = Hcl.requiredApplicationProperty("retrain.store.dynamodb.table-prefix", "the DynamoDB table prefix");
        assertEquals(appPrefix, aws.variableDefault(prefixVariable), "default of var." + prefixVariable + " must be the application's retrain.store.dynamodb.table-prefix");

        JsonNode tf = aws.local("dynamodb_tables");
        Set<String> expectedTables = new TreeSet<>();
        for (Object d : definitions) {
            var def = (software.amazon.awssdk.services.dynamodb.model.CreateTableRequest) d;
            String name = def.tableName();
            expectedTables.add(name);
            JsonNode t = tf.path(name);
            assertTrue(t.isObject(), "local.dynamodb_tables has no table " + name);
            assertEquals(def.keySchema().get(0).attributeName(), t.path("hash_key").asText(), name + ": hash key");
            assertEquals(1, def.keySchema().size(), name + ": the adapter's table has a range key; terraform has none");
            Map<String, String> expectedIndexes = new TreeMap<>();
            for (var i : def.globalSecondaryIndexes()) {
                String hash = i.keySchema().get(0).attributeName();
                String range = i.keySchema().size() > 1 ? i.keySchema().get(1).attributeName() : null;
                expectedIndexes.put(i.indexName(), hash + "," + range);
                assertEquals("KEYS_ONLY", i.projection().projectionTypeAsString(), name + "." + i.indexName() + ": the adapter's projection");
            }
            Map<String, String> actualIndexes = new TreeMap<>();
            t.path("indexes").fields().forEachRemaining(i -> actualIndexes.put(i.getKey(),
                    i.getValue().path("hash_key").asText() + "," + (i.getValue().path("range_key").isNull() ? null : i.getValue().path("range_key").asText())));
            assertEquals(expectedIndexes, actualIndexes, name + ": indexes (name -> hash key, range key)");
        }
        Set<String> actualTables = new TreeSet<>();
        tf.fieldNames().forEachRemaining(actualTables::add);
        assertEquals(expectedTables, actualTables, "the tables of local.dynamodb_tables are the adapter's");
    }

    // ---- helpers: the module ---------------------------------------------------------------------------

    /** terraform/aws, its files merged; fails when one does not parse (asked by each test, so that the every-cloud tests do not depend on it). */
    static Hcl.Module aws() throws Exception {
        return Hcl.module("aws");
    }

    /** The aws_sqs_queue of alarms, schedules and pipeline status: the one output retrain_sources_aws_queue names. */
    static JsonNode triggerQueue() throws Exception {
        return aws().resource("aws_sqs_queue", triggerQueueName());
    }

    static String triggerQueueName() throws Exception {
        return queueOfOutput("retrain_sources_aws_queue");
    }

    /** The aws_sqs_queue of S3 notifications: the one output retrain_sources_aws_data_queue names. */
    static JsonNode dataQueue() throws Exception {
        return aws().resource("aws_sqs_queue", dataQueueName());
    }

    static String dataQueueName() throws Exception {
        return queueOfOutput("retrain_sources_aws_data_queue");
    }

    static List<String> consumedQueueNames() throws Exception {
        return List.of(triggerQueueName(), dataQueueName());
    }

    /** The aws_sqs_queue whose name an output is ({@code ${aws_sqs_queue.X.name}}). */
    static String queueOfOutput(String output) throws Exception {
        String value = aws().outputValue(output);
        Matcher m = Pattern.compile("^\\$\\{aws_sqs_queue\\.([a-z_][a-z0-9_-]*)\\.name}$").matcher(value.trim());
        assertTrue(m.matches(), "output " + output + " must be the name of a queue terraform creates (${aws_sqs_queue.<queue>.name}), not: " + value);
        assertTrue(aws().resourceNames("aws_sqs_queue").contains(m.group(1)), "aws_sqs_queue." + m.group(1) + " (output " + output + ") is not declared");
        return m.group(1);
    }

    static final String DATA_QUEUE_KEY = "retrain.sources.aws.data-queue";

    /** The value of the commented-out {@code #retrain.sources.aws.data-queue=...} of application.properties. */
    static String suggestedDataQueue() {
        try {
            Pattern line = Pattern.compile("^#\\s*" + Pattern.quote(DATA_QUEUE_KEY) + "\\s*=\\s*(\\S+)\\s*$");
            for (String l : java.nio.file.Files.readAllLines(Hcl.root().resolve("application.properties"))) {
                Matcher m = line.matcher(l.strip());
                if (m.matches()) return m.group(1);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("application.properties neither sets nor suggests (#" + DATA_QUEUE_KEY + "=<name>) the data queue:"
                + " terraform/aws's data queue name default cannot be checked against it");
    }

    /** The queues whose ARN ({@code aws_sqs_queue.X.arn}) an expression names. */
    static Set<String> arnsOfQueues(String expression) {
        return Hcl.referencedNames(expression, "aws_sqs_queue", ".arn");
    }

    /** The rules an event target serves: its {@code rule} directly, or the rules of the local its for_each iterates. */
    static Set<String> rulesOf(JsonNode target) throws Exception {
        String rule = target.path("rule").asText("");
        String expression = rule.contains("aws_cloudwatch_event_rule.") ? rule : aws().expandLocals(target.path("for_each").asText(""));
        return rulesIn(expression);
    }

    static Set<String> rulesIn(String expression) {
        return Hcl.referencedNames(expression, "aws_cloudwatch_event_rule", "");
    }

    /** The rules that a queue's policy lets EventBridge send from (aws:SourceArn of its events.amazonaws.com statements). */
    static Set<String> rulesAllowedToSend(String queue) throws Exception {
        Set<String> out = new TreeSet<>();
        for (JsonNode policy : aws().resources("aws_sqs_queue_policy").values()) {
            if (!queue.equals(Hcl.referencedName(policy.path("queue_url").asText(), "aws_sqs_queue"))) continue;
            String document = Hcl.referencedName(policy.path("policy").asText(), "data.aws_iam_policy_document");
            assertTrue(document != null, "the policy of aws_sqs_queue." + queue + " must be a data.aws_iam_policy_document's json");
            for (JsonNode st : aws().merged().path("data").path("aws_iam_policy_document").path(document).path(0).path("statement")) {
                boolean events = st.path("principals").toString().contains("events.amazonaws.com");
                if (!events || !"Allow".equals(st.path("effect").asText("Allow")) || !st.path("actions").toString().contains("sqs:SendMessage")) continue;
                for (JsonNode c : st.path("condition")) {
                    if (!"aws:SourceArn".equals(c.path("variable").asText())) continue;
                    JsonNode values = c.path("values");
                    out.addAll(rulesIn(aws().expandLocals(values.isTextual() ? values.asText() : values.toString())));
                }
            }
        }
        return out;
    }
}
