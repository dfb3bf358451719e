package io.retraintrigger.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the terraform tests share: terraform/&#42;&#42;/&#42;.tf parsed once per test JVM with {@code @cdktf/hcl2json}
 * from tools/ (installed by {@code npm ci} when missing), a module's files merged into one {@link Module}, the
 * expression helpers, and the application's property keys, for the test of every cloud.
 * <p>
 * hcl2json writes every expression as a string {@code "${...}"} holding its source text, blocks as arrays of
 * objects, and {@code locals} as a list of blocks.
 */
final class Hcl {

    static final ObjectMapper JSON = new ObjectMapper();

    private static Path root;
    private static Map<Path, JsonNode> parsed;

    private Hcl() {
    }

    // ---- parsing ---------------------------------------------------------------------------------------

    /** The repository root (the directory with terraform/, tools/ and application.properties). */
    static synchronized Path root() {
        if (root == null) {
            Path dir = Path.of("").toAbsolutePath();
            while (dir != null && !(Files.isDirectory(dir.resolve("terraform")) && Files.isRegularFile(dir.resolve("application.properties"))
                    && Files.isDirectory(dir.resolve("tools")))) {
                dir = dir.getParent();
            }
            if (dir == null) throw new IllegalStateException("no directory with terraform/, tools/ and application.properties above " + Path.of("").toAbsolutePath());
            root = dir;
        }
        return root;
    }

    /** Every .tf file under terraform/, and what it parsed to (a JSON object) or why it did not ({"error": "..."}). */
    static synchronized Map<Path, JsonNode> parsed() throws Exception {
        if (parsed == null) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(root().resolve("terraform"))) {
                files = s.filter(p -> p.toString().endsWith(".tf") && Files.isRegularFile(p))
                        .filter(p -> !p.toString().contains("/.terraform/"))
                        .sorted().toList();
            }
            assertFalse(files.isEmpty(), "no .tf file under " + root().resolve("terraform"));
            parsed = hcl2json(files);
        }
        return parsed;
    }

    /** Directories under terraform/ that hold .tf files (root modules and modules). */
    static Set<Path> moduleDirectories() throws Exception {
        Set<Path> out = new TreeSet<>();
        parsed().keySet().forEach(f -> out.add(f.getParent()));
        return out;
    }

    /** The .tf files directly in a directory, and what they parsed to (see {@link #parsed()}). */
    static Map<Path, JsonNode> filesIn(Path dir) throws Exception {
        Map<Path, JsonNode> files = new TreeMap<>();
        parsed().forEach((f, j) -> {
            if (f.getParent().equals(dir)) files.put(f, j);
        });
        return files;
    }

    /** terraform/NAME, its files merged; fails when it has none or one does not parse. */
    static Module module(String name) throws Exception {
        Map<Path, JsonNode> files = filesIn(root().resolve("terraform").resolve(name));
        assertFalse(files.isEmpty(), "terraform/" + name + " has no .tf file");
        List<String> errors = new ArrayList<>();
        files.forEach((f, j) -> {
            if (j.has("error")) errors.add(root().relativize(f) + ": " + j.path("error").asText());
        });
        assertTrue(errors.isEmpty(), "terraform files that do not parse:\n" + String.join("\n", errors));
        return new Module(name, files, merge(files.values()));
    }

    /** Blocks of the same kind and name from several files are kept together. */
    private static JsonNode merge(Iterable<JsonNode> files) {
        ObjectNode merged = JSON.createObjectNode();
        for (JsonNode j : files) {
            j.fields().forEachRemaining(kind -> {
                ObjectNode target = merged.has(kind.getKey()) ? (ObjectNode) merged.get(kind.getKey()) : merged.putObject(kind.getKey());
                if (kind.getKey().equals("resource") || kind.getKey().equals("data")) {
                    kind.getValue().fields().forEachRemaining(type -> {
                        ObjectNode t = target.has(type.getKey()) ? (ObjectNode) target.get(type.getKey()) : target.putObject(type.getKey());
                        type.getValue().fields().forEachRemaining(n -> t.set(n.getKey(), n.getValue()));
                    });
                } else if (kind.getValue().isArray()) {
                    // locals, terraform, ...: a list of blocks
                    ArrayNode list = target.has("_blocks") ? (ArrayNode) target.get("_blocks") : target.putArray("_blocks");
                    kind.getValue().forEach(list::add);
                } else {
                    kind.getValue().fields().forEachRemaining(n -> target.set(n.getKey(), n.getValue()));
                }
            });
        }
        return merged;
    }

    /** A root module: its files and their merged content. */
    record Module(String name, Map<Path, JsonNode> files, JsonNode merged) {

        String where() {
            return "terraform/" + name;
        }

        /** resource TYPE.NAME's (first) block; fails when it is not declared. */
        JsonNode resource(String type, String resourceName) {
            return single(merged.path("resource").path(type).path(resourceName), where() + " declares no (single) resource " + type + "." + resourceName);
        }

        /** The names of the resources of a type. */
        Set<String> resourceNames(String type) {
            return fieldNames(merged.path("resource").path(type));
        }

        /** Every resource of a type: name -> block. */
        Map<String, JsonNode> resources(String type) {
            Map<String, JsonNode> out = new TreeMap<>();
            merged.path("resource").path(type).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().get(0)));
            return out;
        }

        /** Every resource and data source declared: TYPE.NAME and data.TYPE.NAME. */
        Set<String> declared() {
            Set<String> out = new TreeSet<>();
            merged.path("resource").fields().forEachRemaining(t -> t.getValue().fieldNames().forEachRemaining(n -> out.add(t.getKey() + "." + n)));
            merged.path("data").fields().forEachRemaining(t -> t.getValue().fieldNames().forEachRemaining(n -> out.add("data." + t.getKey() + "." + n)));
            return out;
        }

        Set<String> variables() {
            return fieldNames(merged.path("variable"));
        }

        /** The default of var.NAME as text (JSON for non-strings); fails when it is not declared or has none. */
        String variableDefault(String variable) {
            JsonNode d = single(merged.path("variable").path(variable), "var." + variable + " is not declared in " + where()).get("default");
            assertNotNull(d, "var." + variable + " has no default");
            return d.isTextual() ? d.asText() : d.toString();
        }

        /** local.NAME as hcl2json wrote it (an object, a list, or an expression string); fails when it is not declared. */
        JsonNode local(String localName) {
            for (JsonNode block : merged.path("locals").path("_blocks")) {
                if (block.has(localName)) return block.get(localName);
            }
            fail("local." + localName + " is not declared in " + where());
            return null;
        }

        Set<String> outputs() {
            return fieldNames(merged.path("output"));
        }

        /** output NAME's value expression; fails when there is no such output. */
        String outputValue(String output) {
            return single(merged.path("output").path(output), where() + " has no output " + output).path("value").asText();
        }

        /** The one block of a list of blocks (hcl2json's form of a declaration); fails with the message when there is not exactly one. */
        private static JsonNode single(JsonNode blocks, String whenNotOne) {
            assertTrue(blocks.isArray() && blocks.size() == 1, whenNotOne);
            return blocks.get(0);
        }

        /**
         * Follows an expression that is just {@code ${local.X}} (or {@code ${local.X["key"]}}) to the local's text,
         * until it is something else; other expressions are returned as they are.
         */
        String resolveLocals(String expression) {
            String e = expression.trim();
            for (int hops = 0; hops < 10; hops++) {
                Matcher m = Pattern.compile("^\\$\\{local\\.([a-zA-Z_][a-zA-Z0-9_]*)}$").matcher(e);
                if (!m.matches()) return e;
                JsonNode l = local(m.group(1));
                e = l.isTextual() ? l.asText().trim() : l.toString();
            }
            return e;
        }

        /**
         * The expression followed by the text of every local it uses, directly or through other locals (for checks
         * of what an expression is made of, e.g. a filter built from several locals).
         */
        String expandLocals(String expression) {
            StringBuilder text = new StringBuilder(expression);
            Set<String> seen = new TreeSet<>();
            Pattern ref = Pattern.compile("(?<![\\w.])local\\.([a-zA-Z_][a-zA-Z0-9_]*)");
            for (int pass = 0; pass < 10; pass++) {
                Matcher m = ref.matcher(text.toString());
                List<String> found = new ArrayList<>();
                while (m.find()) if (seen.add(m.group(1))) found.add(m.group(1));
                if (found.isEmpty()) break;
                for (String name : found) {
                    JsonNode l = local(name);
                    text.append('\n').append(l.isTextual() ? l.asText() : l.toString());
                }
            }
            return text.toString();
        }

        /**
         * The default values of a resource's attribute that names something: {@code ${var.X}}, or
         * {@code ${each.value.F}} with {@code for_each = local.L} (a map whose entries' F are {@code ${var.X}}):
         * the default of each variable. Fails on any other form, so that the check cannot pass by not looking.
         */
        List<String> defaultsOf(JsonNode block, String attribute, String what) {
            String expression = block.path(attribute).asText("").trim();
            Matcher each = Pattern.compile("^\\$\\{each\\.value\\.([a-z_][a-z0-9_]*)}$").matcher(expression);
            if (!each.matches()) return List.of(variableDefault(onlyVariable(expression, what)));
            String forEach = block.path("for_each").asText("").trim();
            Matcher local = Pattern.compile("^\\$\\{local\\.([a-z_][a-z0-9_]*)}$").matcher(forEach);
            assertTrue(local.matches(), what + " is ${each.value." + each.group(1) + "}, so its for_each must be one local map, not: " + forEach);
            JsonNode map = local(local.group(1));
            assertTrue(map.isObject() && map.size() > 0, "local." + local.group(1) + " (for_each of " + what + ") must be a map literal");
            List<String> out = new ArrayList<>();
            map.fields().forEachRemaining(e -> out.add(variableDefault(onlyVariable(e.getValue().path(each.group(1)).asText(""),
                    what + " of entry " + e.getKey() + " of local." + local.group(1)))));
            return out;
        }

        /** Keys of the map a for_each = local.L iterates (empty when the for_each is something else). */
        Set<String> forEachKeys(JsonNode block) {
            Matcher local = Pattern.compile("^\\$\\{local\\.([a-z_][a-z0-9_]*)}$").matcher(block.path("for_each").asText("").trim());
            Set<String> out = new TreeSet<>();
            if (local.matches() && local(local.group(1)).isObject()) local(local.group(1)).fieldNames().forEachRemaining(out::add);
            return out;
        }

        /** Resources and data sources of a provider (prefix google_, azurerm_ ...) that the module references but does not declare. */
        Set<String> undeclaredReferences(String providerPrefix) {
            Set<String> declared = declared();
            Pattern ref = Pattern.compile("(?<![\\w.])((?:data\\.)?" + providerPrefix + "[a-z0-9_]+\\.[a-z_][a-z0-9_-]*)");
            Set<String> missing = new TreeSet<>();
            for (String s : strings(merged)) {
                for (String expr : interpolations(s)) {
                    Matcher m = ref.matcher(stripStringLiterals(expr));
                    while (m.find()) {
                        if (!declared.contains(m.group(1))) missing.add(m.group(1));
                    }
                }
            }
            return missing;
        }

        /** var.X and local.X references, per file, that the module does not declare. */
        List<String> undeclaredVariablesAndLocals() {
            return Hcl.undeclaredVariablesAndLocals(files);
        }

        /**
         * Outputs that are not named after a property key of the application ({@code retrain_x_y} for
         * {@code retrain.x.y} / {@code retrain.x-y}), apart from the given ones.
         */
        List<String> outputsThatAreNoPropertyKey(Set<String> nonPropertyOutputs) throws IOException {
            Set<String> known = knownKeys();
            List<String> errors = new ArrayList<>();
            for (String output : outputs()) {
                if (nonPropertyOutputs.contains(output)) continue;
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
            return errors;
        }
    }

    /**
     * var.X and local.X references of the files of one module (see {@link #filesIn}) that none of them declares,
     * sorted, each once. A file that does not parse declares and references nothing.
     */
    static List<String> undeclaredVariablesAndLocals(Map<Path, JsonNode> files) {
        Set<String> variables = new TreeSet<>();
        Set<String> locals = new TreeSet<>();
        files.values().forEach(j -> {
            j.path("variable").fieldNames().forEachRemaining(variables::add);
            for (JsonNode block : j.path("locals")) block.fieldNames().forEachRemaining(locals::add);
        });
        Set<String> errors = new TreeSet<>();
        files.forEach((file, j) -> {
            String module = root().relativize(file.getParent()).toString();
            for (String s : strings(j)) {
                referenced(s, "var").stream().filter(v -> !variables.contains(v))
                        .forEach(v -> errors.add(root().relativize(file) + ": var." + v + " is not declared in " + module));
                referenced(s, "local").stream().filter(l -> !locals.contains(l))
                        .forEach(l -> errors.add(root().relativize(file) + ": local." + l + " is not declared in " + module));
            }
        });
        return List.copyOf(errors);
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    // ---- expressions -------------------------------------------------------------------------------------

    /** The single var.NAME an attribute is, e.g. {@code ${var.queue_name}}. */
    static String onlyVariable(String expression, String what) {
        Matcher m = Pattern.compile("^\\$\\{var\\.([a-z_][a-z0-9_]*)}$").matcher(expression.trim());
        assertTrue(m.matches(), what + " must be one variable (so that its default is checked), not: " + expression);
        return m.group(1);
    }

    /** The resource TYPE.NAME an expression refers to (e.g. {@code google_pubsub_topic.stream[each.key].id} -> stream), or null. */
    static String referencedName(String expression, String type) {
        Matcher m = Pattern.compile("(?<![\\w.])" + Pattern.quote(type) + "\\.([a-z_][a-z0-9_-]*)").matcher(expression);
        return m.find() ? m.group(1) : null;
    }

    /** Every NAME an expression refers to as {@code TYPE.NAME} followed by {@code suffix} (e.g. ".arn", or "" for any). */
    static Set<String> referencedNames(String expression, String type, String suffix) {
        Matcher m = Pattern.compile("(?<![\\w.])" + Pattern.quote(type) + "\\.([a-z_][a-z0-9_-]*)" + Pattern.quote(suffix)).matcher(expression);
        Set<String> out = new TreeSet<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** The instance keys an expression uses for TYPE.NAME, e.g. {@code google_pubsub_topic.stream["data"].id} -> data. */
    static Set<String> instanceKeys(String expression, String type, String resourceName) {
        Matcher m = Pattern.compile(Pattern.quote(type + "." + resourceName) + "\\[\"([^\"]+)\"]").matcher(expression);
        Set<String> out = new TreeSet<>();
        while (m.find()) out.add(m.group(1));
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

    /** The literal keys of the map literals in an expression ({@code "retrain.x" = ...}). */
    static Set<String> quotedKeys(String expression) {
        Matcher m = Pattern.compile("\"([A-Za-z0-9_.*-]+)\"\\s*=(?!=)").matcher(expression);
        Set<String> out = new TreeSet<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    // ---- the application's keys ---------------------------------------------------------------------------

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
        for (String line : Files.readAllLines(root().resolve("application.properties"), StandardCharsets.UTF_8)) {
            Matcher m = key.matcher(line.strip());
            if (m.find()) keys.add(m.group(1).replaceAll("[.]+$", ""));
        }
        keys.addAll(configMappingKeys());
        return keys;
    }

    /** Keys of the @ConfigMapping interfaces only (no comment of application.properties counts). */
    static Set<String> configMappingKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        Path classes = root().resolve("target").resolve("classes");
        if (!Files.isDirectory(classes)) return keys;
        List<String> names;
        try (Stream<Path> s = Files.walk(classes)) {
            names = s.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$"))
                    .map(p -> classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .toList();
        }
        ClassLoader loader = Hcl.class.getClassLoader();
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

    static Optional<String> applicationProperty(String name) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(root().resolve("application.properties"), StandardCharsets.UTF_8)));
        return Optional.ofNullable(p.getProperty(name));
    }

    /** A property of application.properties that must be there (the defaults terraform must agree with). */
    static String requiredApplicationProperty(String name, String why) throws IOException {
        return applicationProperty(name).orElseThrow(() -> new AssertionError(
                "application.properties has no " + name + ": " + why + " cannot be checked against it. Add the key to application.properties."));
    }

    // ---- the parser --------------------------------------------------------------------------------------

    /** Parses the files with @cdktf/hcl2json in one node process; each file maps to its JSON or {"error": "..."}. */
    static Map<Path, JsonNode> hcl2json(List<Path> files) throws Exception {
        Path tools = root().resolve("tools");
        Path module = tools.resolve("node_modules").resolve("@cdktf").resolve("hcl2json");
        if (!Files.isDirectory(module)) npmCi(tools);
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
    static synchronized void npmCi(Path tools) throws Exception {
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(tools.toFile()).inheritIO().start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run npm (Node.js and npm are needed to parse terraform): " + e.getMessage(), e);
        }
        if (npm.waitFor() != 0) throw new IllegalStateException("`npm ci` in " + tools + " failed with " + npm.exitValue());
    }

    /** Fails with every message of the list, one a line, when it is not empty. */
    static void assertNone(List<String> problems, String heading) {
        assertEquals(List.of(), problems, heading + ":\n" + String.join("\n", problems));
    }
}
