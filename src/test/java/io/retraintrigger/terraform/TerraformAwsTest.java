package io.retraintrigger.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The terraform of every cloud (terraform/&#42;&#42;/&#42;.tf) parses, and terraform/aws fits the application:
 * its queue is the application's default {@code retrain.sources.aws.queue}, the queue has a dead-letter
 * redrive, and each output is named after a property key of the application ({@code retrain_x_y} for
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
    void awsQueueTimingsAreTheApplicationsDefaults() throws Exception {
        JsonNode queue = triggerQueue();
        Map<String, String> attributeToKey = Map.of(
                "visibility_timeout_seconds", "retrain.sources.aws.visibility-timeout",
                "receive_wait_time_seconds", "retrain.sources.aws.wait-time-seconds");
        for (var e : attributeToKey.entrySet()) {
            Optional<String> app = Hcl.applicationProperty(e.getValue());
            if (app.isEmpty()) continue; // not a key of the application (yet): nothing to agree with
            String variable = onlyVariable(queue.path(e.getKey()).asText(), "the trigger queue's " + e.getKey());
            assertEquals(Long.parseLong(app.get().trim()), Long.parseLong(aws().variableDefault(variable)),
                    "default of var." + variable + " (the queue's " + e.getKey() + ") must be the application's " + e.getValue());
        }
    }

    @Test
    void awsQueueHasDeadLetterRedrive() throws Exception {
        JsonNode queue = triggerQueue();
        String redrive = queue.path("redrive_policy").asText("");
        Matcher target = Pattern.compile("deadLetterTargetArn\\s*=\\s*aws_sqs_queue\\.([a-z_][a-z0-9_-]*)\\.arn").matcher(redrive);
        assertTrue(target.find(), "the trigger queue's redrive_policy names no aws_sqs_queue.<dlq>.arn as deadLetterTargetArn: " + redrive);
        String dlq = target.group(1);
        assertTrue(aws().resourceNames("aws_sqs_queue").contains(dlq), "the dead-letter queue aws_sqs_queue." + dlq + " is not declared");
        assertFalse(dlq.equals(triggerQueueName()), "the trigger queue cannot be its own dead-letter queue");
        Matcher max = Pattern.compile("maxReceiveCount\\s*=\\s*var\\.([a-z_][a-z0-9_]*)").matcher(redrive);
        assertTrue(max.find(), "the redrive policy's maxReceiveCount is not a variable: " + redrive);
        long count = Long.parseLong(aws().variableDefault(max.group(1)));
        assertTrue(count >= 1 && count <= 1000, "maxReceiveCount default must be between 1 and 1000, not " + count);
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
        Field ttlField = tables.getDeclaredField("TTL_ATTRIBUTE");
        ttlField.setAccessible(true);
        String ttlAttribute = (String) ttlField.get(null);
        String ttlTable = (String) names.getMethod("processedEvents").invoke(unprefixed);

        Hcl.Module aws = aws();
        JsonNode resource = aws.merged().path("resource").path("aws_dynamodb_table");
        assertEquals(1, resource.size(), "terraform/aws must declare the state store tables as one aws_dynamodb_table (for_each over local.dynamodb_tables)");
        JsonNode table = resource.elements().next().get(0);
        assertEquals("${local.dynamodb_tables}", table.path("for_each").asText(), "the tables are made for_each = local.dynamodb_tables");
        assertEquals("PAY_PER_REQUEST", table.path("billing_mode").asText(), "billing_mode");
        assertEquals("true", table.path("point_in_time_recovery").path(0).path("enabled").asText(), "point_in_time_recovery { enabled = true }");
        assertEquals("KEYS_ONLY", table.path("dynamic").path("global_secondary_index").path(0).path("content").path(0).path("projection_type").asText(""),
                "every index projects KEYS_ONLY, as the adapter reads records from the table");
        String prefixVariable = onlyVariable(table.path("name").asText().replace("${each.key}", ""), "the table name without ${each.key}");
        Object defaultConfigPrefix = Class.forName("io.retraintrigger.config.DynamoDbStoreConfig").getMethod("tablePrefix")
                .getAnnotation(io.smallrye.config.WithDefault.class).value();
        String appPrefix = Hcl.applicationProperty("retrain.store.dynamodb.table-prefix").orElse((String) defaultConfigPrefix);
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
            String ttl = t.path("ttl").isNull() ? null : t.path("ttl").asText();
            assertEquals(name.equals(ttlTable) ? ttlAttribute : null, ttl, name + ": TTL attribute");
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

    /** The aws_sqs_queue the service consumes: the one with a redrive policy. */
    static JsonNode triggerQueue() throws Exception {
        return aws().resource("aws_sqs_queue", triggerQueueName());
    }

    static String triggerQueueName() throws Exception {
        Map<String, JsonNode> queues = aws().resources("aws_sqs_queue");
        assertTrue(queues.size() > 0, "terraform/aws declares no aws_sqs_queue");
        List<String> withRedrive = new ArrayList<>();
        queues.forEach((name, block) -> {
            if (block.has("redrive_policy")) withRedrive.add(name);
        });
        assertEquals(1, withRedrive.size(), "terraform/aws must declare exactly one aws_sqs_queue with a redrive_policy "
                + "(the trigger queue, with its dead-letter queue); found " + withRedrive);
        return withRedrive.get(0);
    }
}
