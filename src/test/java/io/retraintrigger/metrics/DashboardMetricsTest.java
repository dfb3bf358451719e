package io.retraintrigger.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.retraintrigger.api.TestApi;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Grafana dashboard (deploy/grafana) and the Prometheus alert rules (deploy/prometheus) query only metrics that
 * the service serves at /q/metrics, once it has taken in events, decided, launched and dead-lettered (posted
 * here); and both files have the structure Grafana and Prometheus load. promtool is not used (the Debian package
 * is the whole Prometheus server, about 100 MB): the structure is checked here, the PromQL by {@link #metricNames}.
 */
@QuarkusTest
class DashboardMetricsTest {
    static final Path DASHBOARD = Path.of("deploy/grafana/retrain-trigger-dashboard.json");
    static final Path RULES = Path.of("deploy/prometheus/retrain-trigger-alerts.yaml");

    /** PromQL words that are no metric: keywords, and the aggregation operators when a by/without follows them. */
    static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or",
            "unless", "inf", "nan", "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio");
    /** Keywords followed by a list of label names in parentheses. */
    static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)");

    /** Makes the metrics exist: the service registers most of them as it meets what they count. */
    private static void driveTheApp() {
        // a drift alert that launches (pipeline traced: dry-run, no cooldown), its duplicate, a data arrival, a manual
        // trigger, a refused event (a dead letter)
        String drift = TestApi.newId();
        String body = TestApi.event(drift, "io.retraintrigger.drift.detected", "{\"pipeline\":\"traced\",\"features\":[{\"name\":\"amount\",\"score\":0.2}]}");
        TestApi.postEvent(body).then().statusCode(202);
        TestApi.postEvent(body).then().statusCode(202);
        TestApi.dataArrived(TestApi.newId(), "s3://test-bucket/traced-window/" + drift + ".parquet", 1000).then().statusCode(202);
        TestApi.trigger("traced", 3).then().statusCode(200);
        TestApi.admin().contentType("application/cloudevents+json").body("{not json").post("/api/events").then().statusCode(400);
    }

    @Test
    void everyMetricTheDashboardAndTheRulesQueryIsServed() throws IOException {
        driveTheApp();
        String exposition = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> samples = new HashSet<>();
        Map<String, String> types = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] t = line.split(" ");
                types.put(t[2], t[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = Pattern.compile("^[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(line);
                assertTrue(m.find(), "not a sample line: " + line);
                samples.add(m.group());
            }
        }
        Map<String, Set<String>> queried = new LinkedHashMap<>();
        queried.put(DASHBOARD.toString(), dashboardMetrics());
        queried.put(RULES.toString(), rulesMetrics());
        List<String> missing = new ArrayList<>();
        for (var e : queried.entrySet()) {
            assertFalse(e.getValue().isEmpty(), "no metric found in " + e.getKey());
            for (String name : e.getValue()) {
                if (!samples.contains(name)) {
                    missing.add(name + " (" + e.getKey() + ")");
                } else if (name.endsWith("_bucket") && !"histogram".equals(types.get(name.substring(0, name.length() - "_bucket".length())))) {
                    missing.add(name + " (" + e.getKey() + "): buckets of a metric that is no histogram");
                }
            }
        }
        assertEquals(List.of(), missing, "queried but not in /q/metrics");
    }

    @Test
    void theDashboardIsAnImportableGrafanaDashboard() throws IOException {
        JsonNode d = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertTrue(d.path("schemaVersion").asInt() >= 36, "schemaVersion of a current Grafana: " + d.path("schemaVersion"));
        assertTrue(d.path("uid").isTextual() && !d.path("title").asText().isBlank());
        assertEquals("DS_PROMETHEUS", d.path("__inputs").path(0).path("name").asText(), "the data source asked for at import");
        Map<String, JsonNode> variables = new HashMap<>();
        d.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
        assertEquals("datasource", variables.get("DS_PROMETHEUS").path("type").asText());
        assertEquals("prometheus", variables.get("DS_PROMETHEUS").path("query").asText());
        JsonNode pipeline = variables.get("pipeline");
        assertEquals("query", pipeline.path("type").asText());
        assertTrue(LABEL_VALUES.matcher(pipeline.path("definition").asText()).matches(), pipeline.toString());
        assertTrue(pipeline.path("definition").asText().endsWith("pipeline)"), "pipeline from label_values(…, pipeline): " + pipeline);

        Set<Integer> ids = new HashSet<>();
        int queries = 0;
        for (JsonNode p : d.path("panels")) {
            assertTrue(ids.add(p.path("id").asInt()), "panel id twice: " + p.path("id"));
            assertFalse(p.path("gridPos").isMissingNode(), "panel without position: " + p.path("title"));
            if (p.path("type").asText().equals("row")) continue;
            assertTrue(p.path("targets").isArray() && !p.path("targets").isEmpty(), "panel without a target: " + p.path("title"));
            assertEquals("${DS_PROMETHEUS}", p.path("datasource").path("uid").asText(), p.path("title").asText());
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText();
                assertFalse(expr.isBlank(), "target without expr: " + p.path("title"));
                balanced(expr);
                if (!expr.contains("camel_") && !expr.contains("dead_letters")) {
                    assertTrue(expr.contains("pipeline=~\"$pipeline\""), "panel not filtered by $pipeline: " + p.path("title") + ": " + expr);
                }
                queries++;
            }
        }
        assertTrue(queries >= 10, "queries: " + queries);
    }

    @Test
    void theRuleFileIsAPrometheusRuleFile() throws IOException {
        Map<String, Object> file = rules();
        assertEquals(Set.of("groups"), file.keySet());
        List<?> groups = assertInstanceOf(List.class, file.get("groups"));
        assertFalse(groups.isEmpty());
        Set<String> alerts = new HashSet<>();
        Set<String> allowed = Set.of("alert", "expr", "for", "keep_firing_for", "labels", "annotations");
        for (Object g : groups) {
            Map<?, ?> group = assertInstanceOf(Map.class, g);
            assertTrue(Set.of("name", "interval", "rules").containsAll(group.keySet()), "group keys " + group.keySet());
            assertInstanceOf(String.class, group.get("name"));
            List<?> rules = assertInstanceOf(List.class, group.get("rules"));
            assertFalse(rules.isEmpty());
            for (Object r : rules) {
                Map<?, ?> rule = assertInstanceOf(Map.class, r);
                assertTrue(allowed.containsAll(rule.keySet()), "rule keys " + rule.keySet());
                String alert = assertInstanceOf(String.class, rule.get("alert"), "an alerting rule: " + rule);
                assertTrue(alert.matches("[A-Z][A-Za-z0-9]*") && alerts.add(alert), "alert name unique, CamelCase: " + alert);
                String expr = assertInstanceOf(String.class, rule.get("expr"), alert);
                balanced(expr);
                assertTrue(expr.matches("(?s).*(>|<|==|!=).*"), alert + ": an alert expression compares: " + expr);
                assertTrue(String.valueOf(rule.get("for")).matches("0|(\\d+(ms|s|m|h|d|w|y))+"), alert + ": for " + rule.get("for"));
                Map<?, ?> labels = assertInstanceOf(Map.class, rule.get("labels"), alert);
                assertTrue(Set.of("warning", "critical").contains(labels.get("severity")), alert + ": severity " + labels.get("severity"));
                Map<?, ?> annotations = assertInstanceOf(Map.class, rule.get("annotations"), alert);
                assertInstanceOf(String.class, annotations.get("summary"), alert);
            }
        }
        // what the issue asks for
        assertTrue(alerts.containsAll(Set.of("RetrainDeadLettersGrowing", "RetrainLaunchesFailing", "RetrainPipelineDataMissing",
                "RetrainPipelineNoDataLongerThanExpected")), "alerts: " + alerts);
    }

    @Test
    void theTokenizerFindsMetricsAndNothingElse() {
        assertEquals(Set.of("a_total", "b_seconds_bucket"), metricNames(
                "sum by (pipeline, le) (rate(a_total{pipeline=~\"$pipeline\",x=\"y(z)\"}[$__rate_interval])) / on (pipeline) group_left(kind)"
                        + " histogram_quantile(0.95, rate(b_seconds_bucket[5m] offset 1h)) > bool 1e3 or vector(0)"));
        assertEquals(Set.of("up"), metricNames("max without (instance) (up) unless nan"));
    }

    /** The metric names a PromQL expression reads. */
    static Set<String> metricNames(String expr) {
        Set<String> names = new TreeSet<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '{') {
                i = skipTo(expr, i, '}'); // label matchers
            } else if (c == '[') {
                i = skipTo(expr, i, ']'); // a range, a subquery's step
            } else if (c == '$') {
                i++; // a Grafana variable: $name, ${name}
                if (i < n && expr.charAt(i) == '{') i = skipTo(expr, i, '}');
                else while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_')) i++;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.' || expr.charAt(i) == '_')) i++; // 0.95, 1e3, 5m
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_' || expr.charAt(i) == ':')) i++;
                String word = expr.substring(start, i);
                int j = i;
                while (j < n && Character.isWhitespace(expr.charAt(j))) j++;
                boolean call = j < n && expr.charAt(j) == '(';
                if (LABEL_LISTS.contains(word) && call) {
                    i = skipTo(expr, j, ')'); // by (pipeline, le): label names
                } else if (!call && !KEYWORDS.contains(word.toLowerCase())) {
                    names.add(word);
                }
            } else {
                i++;
            }
        }
        return names;
    }

    private static int skipString(String s, int i) {
        char quote = s.charAt(i++);
        while (i < s.length() && s.charAt(i) != quote) i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
        return i + 1;
    }

    private static int skipTo(String s, int i, char close) {
        i++;
        while (i < s.length() && s.charAt(i) != close) {
            char c = s.charAt(i);
            i = c == '"' || c == '\'' || c == '`' ? skipString(s, i) : i + 1;
        }
        if (i >= s.length()) fail("no closing " + close + " in " + s);
        return i + 1;
    }

    private static void balanced(String expr) {
        StringBuilder open = new StringBuilder();
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i) - 1;
            } else if ("({[".indexOf(c) >= 0) {
                open.append(c);
            } else if (")}]".indexOf(c) >= 0) {
                assertTrue(open.length() > 0 && open.charAt(open.length() - 1) == "({[".charAt(")}]".indexOf(c)), "unbalanced at " + i + ": " + expr);
                open.setLength(open.length() - 1);
            }
        }
        assertEquals("", open.toString(), "unclosed in " + expr);
    }

    private static Set<String> dashboardMetrics() throws IOException {
        JsonNode d = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> names = new LinkedHashSet<>();
        d.path("panels").forEach(p -> p.path("targets").forEach(t -> names.addAll(metricNames(t.path("expr").asText()))));
        d.path("templating").path("list").forEach(v -> {
            Matcher m = LABEL_VALUES.matcher(v.path("definition").asText());
            if (m.find()) names.add(m.group(1));
        });
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> rules() throws IOException {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(RULES));
    }

    private static Set<String> rulesMetrics() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (Object g : (List<?>) rules().get("groups")) {
            for (Object r : (List<?>) ((Map<?, ?>) g).get("rules")) names.addAll(metricNames(String.valueOf(((Map<?, ?>) r).get("expr"))));
        }
        return names;
    }
}
