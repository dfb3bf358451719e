package io.retraintrigger.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The terraform of every cloud (terraform/&#42;&#42;/&#42;.tf) parses, and terraform/aws fits the application:
 * its queue is the application's default {@code retrain.sources.aws.queue}, the queue has a dead-letter
 * redrive, and each output is named after a property key of the application ({@code retrain_x_y} for
 * {@code retrain.x.y} / {@code retrain.x-y}). No terraform binary here: {@code @cdktf/hcl2json} from
 * tools/ (installed by {@code npm ci} when missing) parses HCL to JSON.
 */
class TerraformAwsTest {

    /** Outputs of terraform/aws that are not application properties (documented in terraform/aws/README.md). */
    static final Set<String> NON_PROPERTY_OUTPUTS = Set.of("deployment");

    static final ObjectMapper JSON = new ObjectMapper();
    static Path root;
    static Path tools;
    /** Every .tf file under terraform/, and what it parsed to (a JSON object) or why it did not (a string). */
    static Map<Path, JsonNode> parsed;

    @BeforeAll
    static void parseAll() throws Exception {
        root = projectRoot();
        tools = root.resolve("tools");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root.resolve("terraform"))) {
            files = s.filter(p -> p.toString().endsWith(".tf") && Files.isRegularFile(p))
                    .filter(p -> !p.toString().contains("/.terraform/"))
                    .sorted().toList();
        }
        assertFalse(files.isEmpty(), "no .tf file under " + root.resolve("terraform"));
        parsed = hcl2json(files);
    }

    // ---- every cloud -----------------------------------------------------------------------------------

    @Test
    void everyTerraformFileParses() {
        List<String> errors = new ArrayList<>();
        parsed.forEach((file, result) -> {
            if (result.has("error")) errors.add(root.relativize(file) + ": " + result.get("error").asText());
        });
        assertTrue(errors.isEmpty(), "terraform files that do not parse:\n" + String.join("\n", errors));
    }

    @Test
    void everyVariableAndLocalReferencedIsDeclared() {
        List<String> errors = new ArrayList<>();
        for (Path module : modules()) {
            Map<Path, JsonNode> files = filesOf(module);
            Set<String> variables = new TreeSet<>();
            Set<String> locals = new TreeSet<>();
            files.values().forEach(j -> {
                j.path("variable").fieldNames().forEachRemaining(variables::add);
                for (JsonNode block : j.path("locals")) block.fieldNames().forEachRemaining(locals::add);
            });
            files.forEach((file, j) -> {
                for (String s : strings(j)) {
                    referenced(s, "var").stream().filter(v -> !variables.contains(v))
                            .forEach(v -> errors.add(root.relativize(file) + ": var." + v + " is not declared in " + root.relativize(module)));
                    referenced(s, "local").stream().filter(l -> !locals.contains(l))
                            .forEach(l -> errors.add(root.relativize(file) + ": local." + l + " is not declared in " + root.relativize(module)));
                }
            });
        }
        assertTrue(errors.isEmpty(), String.join("\n", new TreeSet<>(errors)));
    }

    // ---- terraform/aws ---------------------------------------------------------------------------------

    @Test
    void awsResourcesReferencedAreDeclared() {
        JsonNode aws = awsModule();
        Set<String> declared = new TreeSet<>();
        aws.path("resource").fields().forEachRemaining(t -> t.getValue().fieldNames().forEachRemaining(n -> declared.add(t.getKey() + "." + n)));
        aws.path("data").fields().forEachRemaining(t -> t.getValue().fieldNames().forEachRemaining(n -> declared.add("data." + t.getKey() + "." + n)));
        Pattern ref = Pattern.compile("(?<![\\w.])((?:data\\.)?aws_[a-z0-9_]+\\.[a-z_][a-z0-9_-]*)");
        Set<String> missing = new TreeSet<>();
        for (String s : strings(aws)) {
            for (String expr : interpolations(s)) {
                Matcher m = ref.matcher(expr);
                while (m.find()) {
                    if (!declared.contains(m.group(1))) missing.add(m.group(1));
                }
            }
        }
        assertTrue(missing.isEmpty(), "terraform/aws references undeclared resources or data sources: " + missing);
    }

    @Test
    void awsQueueIsTheApplicationsDefaultQueue() throws IOException {
        JsonNode queue = triggerQueue();
        String variable = onlyVariable(queue.path("name").asText(), "the trigger queue's name");
        String expected = applicationProperty("retrain.sources.aws.queue").orElseThrow(() -> new AssertionError(
                "application.properties has no retrain.sources.aws.queue (the SQS source's queue): "
                        + "terraform/aws's queue name default cannot be checked against it. Add the key to application.properties."));
        assertEquals(expected, variableDefault(variable),
                "default of var." + variable + " (the trigger queue's name) must be the application's retrain.sources.aws.queue");
    }

    @Test
    void awsQueueTimingsAreTheApplicationsDefaults() throws IOException {
        JsonNode queue = triggerQueue();
        Map<String, String> attributeToKey = Map.of(
                "visibility_timeout_seconds", "retrain.sources.aws.visibility-timeout",
                "receive_wait_time_seconds", "retrain.sources.aws.wait-time-seconds");
        for (var e : attributeToKey.entrySet()) {
            Optional<String> app = applicationProperty(e.getValue());
            if (app.isEmpty()) continue; // not a key of the application (yet): nothing to agree with
            String variable = onlyVariable(queue.path(e.getKey()).asText(), "the trigger queue's " + e.getKey());
            assertEquals(Long.parseLong(app.get().trim()), Long.parseLong(variableDefault(variable)),
                    "default of var." + variable + " (the queue's " + e.getKey() + ") must be the application's " + e.getValue());
        }
    }

    @Test
    void awsQueueHasDeadLetterRedrive() {
        JsonNode queues = awsModule().path("resource").path("aws_sqs_queue");
        JsonNode queue = triggerQueue();
        String redrive = queue.path("redrive_policy").asText("");
        Matcher target = Pattern.compile("deadLetterTargetArn\\s*=\\s*aws_sqs_queue\\.([a-z_][a-z0-9_-]*)\\.arn").matcher(redrive);
        assertTrue(target.find(), "the trigger queue's redrive_policy names no aws_sqs_queue.<dlq>.arn as deadLetterTargetArn: " + redrive);
        String dlq = target.group(1);
        assertTrue(queues.has(dlq), "the dead-letter queue aws_sqs_queue." + dlq + " is not declared");
        assertFalse(dlq.equals(triggerQueueName()), "the trigger queue cannot be its own dead-letter queue");
        Matcher max = Pattern.compile("maxReceiveCount\\s*=\\s*var\\.([a-z_][a-z0-9_]*)").matcher(redrive);
        assertTrue(max.find(), "the redrive policy's maxReceiveCount is not a variable: " + redrive);
        long count = Long.parseLong(variableDefault(max.group(1)));
        assertTrue(count >= 1 && count <= 1000, "maxReceiveCount default must be between 1 and 1000, not " + count);
    }

    @Test
    void awsOutputsAreApplicationPropertyKeys() throws IOException {
        Set<String> outputs = new TreeSet<>();
        awsModule().path("output").fieldNames().forEachRemaining(outputs::add);
        assertFalse(outputs.isEmpty(), "terraform/aws has no output");
        Set<String> known = knownKeys();
        List<String> errors = new ArrayList<>();
        for (String output : outputs) {
            if (NON_PROPERTY_OUTPUTS.contains(output)) continue;
            if (!output.startsWith("retrain_")) {
                errors.add(output + ": not named after a property key (retrain_...)");
                continue;
            }
            List<String> candidates = keyCandidates(output);
            if (candidates.stream().noneMatch(k -> isKnown(k, known))) {
                errors.add(output + ": no property key " + (candidates.size() > 6 ? candidates.subList(0, 6) + "..." : candidates)
                        + " is in application.properties or a @ConfigMapping of the application");
            }
        }
        assertTrue(errors.isEmpty(), "terraform/aws outputs that are no application property key:\n" + String.join("\n", errors));
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

        JsonNode module = awsModule();
        JsonNode resource = module.path("resource").path("aws_dynamodb_table");
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
        String appPrefix = applicationProperty("retrain.store.dynamodb.table-prefix").orElse((String) defaultConfigPrefix);
        assertEquals(appPrefix, variableDefault(prefixVariable), "default of var." + prefixVariable + " must be the application's retrain.store.dynamodb.table-prefix");

        JsonNode tf = null;
        for (JsonNode block : module.path("locals").path("_blocks")) if (block.has("dynamodb_tables")) tf = block.get("dynamodb_tables");
        assertNotNull(tf, "terraform/aws has no local.dynamodb_tables");
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

    /** The aws_sqs_queue the service consumes: the one with a redrive policy. */
    static JsonNode triggerQueue() {
        return awsModule().path("resource").path("aws_sqs_queue").path(triggerQueueName()).get(0);
    }

    static String triggerQueueName() {
        JsonNode queues = awsModule().path("resource").path("aws_sqs_queue");
        assertTrue(queues.size() > 0, "terraform/aws declares no aws_sqs_queue");
        List<String> withRedrive = new ArrayList<>();
        queues.fields().forEachRemaining(q -> {
            for (JsonNode block : q.getValue()) if (block.has("redrive_policy")) withRedrive.add(q.getKey());
        });
        assertEquals(1, withRedrive.size(), "terraform/aws must declare exactly one aws_sqs_queue with a redrive_policy "
                + "(the trigger queue, with its dead-letter queue); found " + withRedrive);
        return withRedrive.get(0);
    }

    /** The single var.NAME an attribute is, e.g. {@code ${var.queue_name}}. */
    static String onlyVariable(String expression, String what) {
        Matcher m = Pattern.compile("^\\$\\{var\\.([a-z_][a-z0-9_]*)}$").matcher(expression.trim());
        assertTrue(m.matches(), what + " must be one variable (so that its default is checked), not: " + expression);
        return m.group(1);
    }

    static String variableDefault(String variable) {
        JsonNode v = awsModule().path("variable").path(variable);
        assertTrue(v.isArray() && v.size() == 1, "var." + variable + " is not declared in terraform/aws");
        JsonNode d = v.get(0).get("default");
        assertNotNull(d, "var." + variable + " has no default");
        return d.isTextual() ? d.asText() : d.toString();
    }

    /** Every file of terraform/aws, merged: blocks of the same kind and name from several files are kept together. */
    static JsonNode awsModule() {
        Map<Path, JsonNode> files = filesOf(root.resolve("terraform").resolve("aws"));
        assertFalse(files.isEmpty(), "terraform/aws has no .tf file");
        files.forEach((f, j) -> assertFalse(j.has("error"), root.relativize(f) + " does not parse: " + j.path("error").asText()));
        var merged = JSON.createObjectNode();
        for (JsonNode j : files.values()) {
            j.fields().forEachRemaining(kind -> {
                var target = merged.has(kind.getKey()) ? (com.fasterxml.jackson.databind.node.ObjectNode) merged.get(kind.getKey()) : merged.putObject(kind.getKey());
                if (kind.getKey().equals("resource") || kind.getKey().equals("data")) {
                    kind.getValue().fields().forEachRemaining(type -> {
                        var t = target.has(type.getKey()) ? (com.fasterxml.jackson.databind.node.ObjectNode) target.get(type.getKey()) : target.putObject(type.getKey());
                        type.getValue().fields().forEachRemaining(n -> t.set(n.getKey(), n.getValue()));
                    });
                } else if (kind.getValue().isArray()) {
                    // locals, terraform, ...: a list of blocks
                    var list = target.has("_blocks") ? (com.fasterxml.jackson.databind.node.ArrayNode) target.get("_blocks") : target.putArray("_blocks");
                    kind.getValue().forEach(list::add);
                } else {
                    kind.getValue().fields().forEachRemaining(n -> target.set(n.getKey(), n.getValue()));
                }
            });
        }
        return merged;
    }

    /** Directories under terraform/ that hold .tf files (root modules and modules). */
    static Set<Path> modules() {
        return parsed.keySet().stream().map(Path::getParent).collect(Collectors.toCollection(TreeSet::new));
    }

    static Map<Path, JsonNode> filesOf(Path module) {
        Map<Path, JsonNode> out = new TreeMap<>();
        parsed.forEach((f, j) -> {
            if (f.getParent().equals(module)) out.put(f, j);
        });
        return out;
    }

    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        collect(n, out);
        return out;
    }

    private static void collect(JsonNode n, List<String> out) {
        if (n.isTextual()) out.add(n.asText());
        else if (n.isContainerNode()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                out.add(e.getKey()); // keys of maps, e.g. "${var.x}.target"
                collect(e.getValue(), out);
            }
            if (n.isArray()) n.forEach(c -> collect(c, out));
        }
    }

    /** The expressions inside ${...} of a string (hcl2json writes every expression that way). */
    static List<String> interpolations(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while ((i = s.indexOf("${", i)) >= 0) {
            int depth = 0;
            int j = i + 2;
            boolean inString = false;
            for (; j < s.length(); j++) {
                char c = s.charAt(j);
                if (c == '\\') { j++; continue; }
                if (c == '"') inString = !inString;
                if (inString) continue;
                if (c == '{') depth++;
                if (c == '}') {
                    if (depth == 0) break;
                    depth--;
                }
            }
            out.add(s.substring(i + 2, Math.min(j, s.length())));
            i = j;
        }
        return out;
    }

    static Set<String> referenced(String s, String prefix) {
        Set<String> out = new TreeSet<>();
        for (String expr : interpolations(s)) {
            Matcher m = Pattern.compile("(?<![\\w.])" + prefix + "\\.([a-zA-Z_][a-zA-Z0-9_-]*)").matcher(stripStringLiterals(expr));
            while (m.find()) out.add(m.group(1));
        }
        return out;
    }

    /** Text in quotes is no reference (but ${...} inside it is). */
    static String stripStringLiterals(String expr) {
        StringBuilder b = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '\\' && inString) { i++; continue; }
            if (c == '"') { inString = !inString; b.append(' '); continue; }
            if (inString && c == '$' && i + 1 < expr.length() && expr.charAt(i + 1) == '{') {
                int end = expr.indexOf('}', i);
                b.append(expr, i, end < 0 ? expr.length() : end + 1);
                i = end < 0 ? expr.length() : end;
                continue;
            }
            b.append(inString ? ' ' : c);
        }
        return b.toString();
    }

    // ---- helpers: the application's keys ---------------------------------------------------------------

    /** {@code retrain_sources_aws_visibility_timeout} -> every split of its words by '.' or '-'. */
    static List<String> keyCandidates(String output) {
        String[] words = output.split("_");
        List<String> out = new ArrayList<>();
        int seps = words.length - 1;
        for (int mask = 0; mask < (1 << seps); mask++) {
            StringBuilder b = new StringBuilder(words[0]);
            for (int i = 1; i < words.length; i++) b.append((mask & (1 << (i - 1))) != 0 ? '-' : '.').append(words[i]);
            out.add(b.toString());
        }
        return out;
    }

    /** A key is known when listed, or when it is a map of the application (e.g. retrain.pipelines.*). */
    static boolean isKnown(String key, Set<String> known) {
        return known.contains(key) || known.contains(key + ".*");
    }

    /**
     * The keys application.properties mentions (set, or shown in a comment such as {@code #retrain.aws.region=}
     * or {@code # retrain.pipelines.NAME.monitors ...}), profiles dropped, plus every key of the application's
     * {@code @ConfigMapping} interfaces (maps as {@code prefix.*}).
     */
    static Set<String> knownKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        Pattern key = Pattern.compile("^#?\\s*(?:%[\\w-]+\\.)?(retrain\\.[A-Za-z0-9_.*-]+)");
        for (String line : Files.readAllLines(root.resolve("application.properties"), StandardCharsets.UTF_8)) {
            Matcher m = key.matcher(line.strip());
            if (m.find()) keys.add(m.group(1).replaceAll("[.]+$", ""));
        }
        keys.addAll(configMappingKeys());
        return keys;
    }

    static Optional<String> applicationProperty(String name) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(root.resolve("application.properties"), StandardCharsets.UTF_8)));
        return Optional.ofNullable(p.getProperty(name));
    }

    /** Keys of every @ConfigMapping interface compiled into target/classes. */
    static Set<String> configMappingKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        Path classes = root.resolve("target").resolve("classes");
        if (!Files.isDirectory(classes)) return keys;
        List<String> names;
        try (Stream<Path> s = Files.walk(classes)) {
            names = s.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$"))
                    .map(p -> classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .toList();
        }
        ClassLoader loader = TerraformAwsTest.class.getClassLoader();
        for (String name : names) {
            try {
                Class<?> c = Class.forName(name, false, loader);
                ConfigMapping mapping = c.getAnnotation(ConfigMapping.class);
                if (mapping != null && c.isInterface()) addKeys(c, mapping.prefix(), keys, 0);
            } catch (Throwable notLoadable) {
                // a class that needs what the test classpath lacks is no configuration interface
            }
        }
        return keys;
    }

    private static void addKeys(Class<?> type, String prefix, Set<String> keys, int depth) {
        if (depth > 8) return;
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.isDefault()) continue;
            WithName withName = m.getAnnotation(WithName.class);
            String name = m.isAnnotationPresent(WithParentName.class) ? null
                    : withName != null ? withName.value() : kebab(m.getName());
            String key = name == null ? prefix : prefix + "." + name;
            Type t = m.getGenericReturnType();
            Class<?> raw = m.getReturnType();
            if (Optional.class.equals(raw) && t instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> inner) {
                raw = inner;
            }
            if (Map.class.isAssignableFrom(raw)) {
                keys.add(key + ".*");
                if (t instanceof ParameterizedType p && p.getActualTypeArguments().length == 2
                        && p.getActualTypeArguments()[1] instanceof Class<?> value && isGroup(value)) {
                    addKeys(value, key + ".*", keys, depth + 1);
                }
            } else if (isGroup(raw)) {
                addKeys(raw, key, keys, depth + 1);
            } else {
                keys.add(key);
            }
        }
    }

    private static boolean isGroup(Class<?> c) {
        return c.isInterface() && !c.getName().startsWith("java.");
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    // ---- helpers: the parser ---------------------------------------------------------------------------

    /** Parses the files with @cdktf/hcl2json in one node process; each file maps to its JSON or {"error": "..."}. */
    static Map<Path, JsonNode> hcl2json(List<Path> files) throws Exception {
        Path module = tools.resolve("node_modules").resolve("@cdktf").resolve("hcl2json");
        if (!Files.isDirectory(module)) npmCi();
        String script = """
                const hcl = require(process.env.HCL2JSON_MODULE);
                const fs = require('fs');
                (async () => {
                  const out = {};
                  for (const f of process.argv.slice(1)) {
                    try { out[f] = await hcl.parse(f, fs.readFileSync(f, 'utf8')); }
                    catch (e) { out[f] = { error: String(e && e.message || e) }; }
                  }
                  process.stdout.write(JSON.stringify(out));
                })().catch(e => { console.error(e); process.exit(2); });
                """;
        List<String> cmd = new ArrayList<>(List.of("node", "-e", script));
        files.forEach(f -> cmd.add(f.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tools.toFile());
        pb.environment().put("HCL2JSON_MODULE", module.toString());
        Path err = Files.createTempFile("hcl2json", ".err");
        pb.redirectError(err.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node (Node.js is needed to parse terraform): " + e.getMessage(), e);
        }
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("hcl2json did not finish within 120 s");
        }
        if (p.exitValue() != 0) fail("node with @cdktf/hcl2json failed (" + p.exitValue() + "): " + Files.readString(err));
        Files.deleteIfExists(err);
        JsonNode all = JSON.readTree(out);
        Map<Path, JsonNode> result = new LinkedHashMap<>();
        for (Path f : files) {
            JsonNode j = all.get(f.toString());
            assertNotNull(j, "hcl2json returned nothing for " + f);
            result.put(f, j);
        }
        return result;
    }

    /** `npm ci` in tools/ when the test tools are not installed yet (a fresh clone). */
    static synchronized void npmCi() throws Exception {
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(tools.toFile()).inheritIO().start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run npm (Node.js and npm are needed to parse terraform): " + e.getMessage(), e);
        }
        if (npm.waitFor() != 0) throw new IllegalStateException("`npm ci` in " + tools + " failed with " + npm.exitValue());
    }

    static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("terraform")) && Files.isRegularFile(dir.resolve("application.properties"))
                && Files.isDirectory(dir.resolve("tools")))) {
            dir = dir.getParent();
        }
        if (dir == null) throw new IllegalStateException("no directory with terraform/, tools/ and application.properties above " + Path.of("").toAbsolutePath());
        return dir;
    }
}
