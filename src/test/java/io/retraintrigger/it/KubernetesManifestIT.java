package io.retraintrigger.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Kubernetes manifests that quarkus-kubernetes writes at package (target/kubernetes/kubernetes.yml, from the
 * quarkus.kubernetes.* keys of application.properties), read as YAML, and the example ConfigMap and Secret of
 * deploy/kubernetes/config.example.yaml, which must give what the Deployment takes from them.
 */
class KubernetesManifestIT {
    private static final Path MANIFEST = Path.of("target", "kubernetes", "kubernetes.yml");
    private static final Path EXAMPLE = Path.of("deploy", "kubernetes", "config.example.yaml");
    private static final String CONFIG_MAP = "retrain-trigger-config";
    private static final String SECRET = "retrain-trigger-secrets";

    private static List<Map<String, Object>> documents;
    private static Map<String, Object> deployment;
    private static Map<String, Object> container;

    @BeforeAll
    static void read() throws Exception {
        assertTrue(Files.isRegularFile(MANIFEST), "package the application first: " + MANIFEST + " is missing");
        documents = load(MANIFEST);
        deployment = kind(documents, "Deployment").orElseThrow(() -> new AssertionError("no Deployment in " + MANIFEST));
        List<Map<String, Object>> containers = list(at(deployment, "spec", "template", "spec", "containers"));
        assertEquals(1, containers.size(), "containers of the Deployment");
        container = containers.get(0);
    }

    @Test
    void severalReplicas() {
        Object replicas = at(deployment, "spec", "replicas");
        assertTrue(replicas instanceof Number && ((Number) replicas).intValue() > 1, "replicas: " + replicas);
    }

    @Test
    void probesOnTheHealthPathsOfTheHttpPort() {
        int port = containerPort();
        assertEquals(8080, port, "containerPort of http");
        Map<String, String> expected = Map.of("livenessProbe", "/q/health/live", "readinessProbe", "/q/health/ready",
                "startupProbe", "/q/health/started");
        expected.forEach((probe, path) -> {
            Map<String, Object> get = map(at(container, probe, "httpGet"));
            assertEquals(path, get.get("path"), probe + " path");
            assertEquals(port, ((Number) get.get("port")).intValue(), probe + " port");
        });
        // a start of up to 5 minutes (migration, a slow node) is not killed by the liveness probe
        Map<String, Object> startup = map(container.get("startupProbe"));
        int budget = ((Number) startup.get("failureThreshold")).intValue() * ((Number) startup.get("periodSeconds")).intValue();
        assertTrue(budget >= 300, "startup probe allows " + budget + " s");
    }

    @Test
    void resourcesRequestedAndLimited() {
        for (String kind : List.of("requests", "limits")) {
            Map<String, Object> r = map(at(container, "resources", kind));
            assertNotNull(r.get("cpu"), kind + ".cpu");
            assertNotNull(r.get("memory"), kind + ".memory");
        }
    }

    @Test
    void configurationFromTheConfigMapAndPasswordsFromTheSecret() {
        List<Map<String, Object>> envFrom = list(container.get("envFrom"));
        assertTrue(envFrom.stream().anyMatch(e -> CONFIG_MAP.equals(at(e, "configMapRef", "name"))), "envFrom: " + envFrom);
        for (String key : List.of("RETRAIN_ADMIN_PASSWORD", "RETRAIN_STORE_JDBC_PASSWORD")) {
            Map<String, Object> ref = map(at(env(key), "valueFrom", "secretKeyRef"));
            assertEquals(SECRET, ref.get("name"), key + " secret");
            assertEquals(key, ref.get("key"), key + " key");
            assertFalse(ref.containsKey("optional") && Boolean.TRUE.equals(ref.get("optional")), key + " must not be optional");
        }
        // no value of a secret written into the manifest
        assertTrue(envs().stream().filter(e -> String.valueOf(e.get("name")).contains("PASSWORD")).noneMatch(e -> e.containsKey("value")),
                "a password as a plain value: " + envs());
    }

    @Test
    void everyReplicaOnPostgreSql() {
        assertEquals("jdbc", env("RETRAIN_STORE_KIND").get("value"));
        String url = (String) env("RETRAIN_STORE_JDBC_URL").get("value");
        assertNotNull(url, "RETRAIN_STORE_JDBC_URL is a value of the manifest, not of the ConfigMap");
        assertTrue(url.startsWith("jdbc:postgresql://"), url);
        // the variables it is made of ($(VAR), expanded by Kubernetes) come from the ConfigMap: the example gives each
        Map<String, Object> data = map(exampleOf("ConfigMap", CONFIG_MAP).get("data"));
        List<String> vars = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(url);
        while (m.find()) vars.add(m.group(1));
        assertFalse(vars.isEmpty(), url);
        for (String v : vars) assertTrue(data.containsKey(v), v + " missing from the example ConfigMap " + data.keySet());
        String expanded = url;
        for (String v : vars) expanded = expanded.replace("$(" + v + ")", String.valueOf(data.get(v)));
        assertTrue(expanded.matches("jdbc:postgresql://[^/:$]+:\\d+/[^/$]+"), "expanded with the example: " + expanded);
    }

    @Test
    void theExampleSecretHoldsEveryKeyTheDeploymentTakesAndNoRealValue() {
        Map<String, Object> secret = exampleOf("Secret", SECRET);
        Map<String, Object> data = map(secret.containsKey("stringData") ? secret.get("stringData") : secret.get("data"));
        for (Map<String, Object> e : envs()) {
            Object ref = e.get("valueFrom") == null ? null : map(e.get("valueFrom")).get("secretKeyRef");
            if (ref == null) continue;
            String key = (String) map(ref).get("key");
            assertTrue(data.containsKey(key), key + " missing from the example Secret");
            assertTrue(String.valueOf(data.get(key)).matches("<[^>]+>"), key + " must be a <placeholder>: " + data.get(key));
        }
    }

    @Test
    void nonRootAndTheDataFolderWritable() {
        Map<String, Object> sc = map(at(deployment, "spec", "template", "spec", "securityContext"));
        assertEquals(Boolean.TRUE, sc.get("runAsNonRoot"), "runAsNonRoot");
        Object uid = sc.get("runAsUser");
        assertTrue(uid instanceof Number && ((Number) uid).intValue() > 0, "runAsUser: " + uid);
        List<Map<String, Object>> mounts = list(container.get("volumeMounts"));
        Map<String, Object> data = mounts.stream().filter(v -> "/home/jboss/data".equals(v.get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume on /home/jboss/data: " + mounts));
        List<Map<String, Object>> volumes = list(at(deployment, "spec", "template", "spec", "volumes"));
        assertTrue(volumes.stream().anyMatch(v -> Objects.equals(v.get("name"), data.get("name")) && v.containsKey("emptyDir")),
                "volumes: " + volumes);
    }

    @Test
    void theImageOfTheContainerImageConfiguration() {
        String image = (String) container.get("image");
        String version = (String) map(at(deployment, "metadata", "labels")).get("app.kubernetes.io/version");
        assertNotNull(version, "the version label");
        assertTrue(image != null && image.matches("([^/]+/)*retrain-trigger:" + java.util.regex.Pattern.quote(version)),
                "image: " + image);
        // the Service reaches the container's http port
        Map<String, Object> service = kind(documents, "Service").orElseThrow(() -> new AssertionError("no Service"));
        List<Map<String, Object>> ports = list(at(service, "spec", "ports"));
        assertTrue(ports.stream().anyMatch(p -> Objects.equals(8080, ((Number) p.get("targetPort")).intValue())), "ports: " + ports);
        // nothing that needs a CRD the cluster may not have
        Optional<Map<String, Object>> other = documents.stream()
                .filter(d -> !List.of("Service", "Deployment").contains(d.get("kind"))).findFirst();
        assertTrue(other.isEmpty(), "unexpected kind: " + other.map(d -> d.get("kind")).orElse(null));
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static List<Map<String, Object>> load(Path file) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
            if (doc != null) out.add(map(doc));
        }
        return out;
    }

    private static Map<String, Object> exampleOf(String kind, String name) {
        try {
            assertTrue(Files.isRegularFile(EXAMPLE), EXAMPLE + " is missing");
            return load(EXAMPLE).stream()
                    .filter(d -> kind.equals(d.get("kind")) && name.equals(at(d, "metadata", "name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + EXAMPLE));
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(EXAMPLE + ": " + e, e);
        }
    }

    private static Optional<Map<String, Object>> kind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst();
    }

    private static int containerPort() {
        return list(container.get("ports")).stream().filter(p -> "http".equals(p.get("name")))
                .map(p -> ((Number) p.get("containerPort")).intValue()).findFirst()
                .orElseThrow(() -> new AssertionError("no http port: " + container.get("ports")));
    }

    private static List<Map<String, Object>> envs() {
        return list(container.get("env"));
    }

    private static Map<String, Object> env(String name) {
        return envs().stream().filter(e -> name.equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name + " in " + envs().stream()
                        .map(e -> String.valueOf(e.get("name"))).collect(Collectors.joining(", "))));
    }

    private static Object at(Object node, String... path) {
        Object n = node;
        for (String p : path) {
            if (!(n instanceof Map)) fail("no " + String.join(".", path) + " (stopped at " + p + ")");
            n = ((Map<?, ?>) n).get(p);
        }
        if (n == null) fail("no " + String.join(".", path));
        return n;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        if (!(o instanceof Map)) fail("not a mapping: " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        if (!(o instanceof List)) fail("not a list: " + o);
        return (List<Map<String, Object>>) o;
    }
}
