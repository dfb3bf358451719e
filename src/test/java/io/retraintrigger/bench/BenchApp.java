package io.retraintrigger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The packaged application as a process of its own: {@code java -jar quarkus-run.jar} from a copy of
 * target/quarkus-app, with the routes copied next to it as its working directory (so that edits made
 * while the benchmark runs change nothing), a data directory of its own (H2 file, password file), and
 * its log in target/bench/NAME.log.
 */
final class BenchApp implements AutoCloseable {
    static final String PASSWORD = "bench-admin";
    static final String AUTH = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path OUT = Path.of("target", "bench").toAbsolutePath();
    static final Path WORK = OUT.resolve("work");

    final String name;
    final Path dataDir;
    final Path log;
    final int port;
    final Process process;
    final long startedAt;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Copies target/quarkus-app and routes/ under target/bench/work (once per benchmark run). */
    static void prepareWorkDir() throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) throw new IllegalStateException("package the application first: " + jar);
        deleteTree(WORK);
        Files.createDirectories(WORK);
        copyTree(Path.of("target", "quarkus-app"), WORK.resolve("quarkus-app"));
        copyTree(Path.of("routes"), WORK.resolve("routes"));
    }

    private BenchApp(String name, Path dataDir, Path log, int port, Process process, long startedAt) {
        this.name = name;
        this.dataDir = dataDir;
        this.log = log;
        this.port = port;
        this.process = process;
        this.startedAt = startedAt;
    }

    /** Starts the process (does not wait for readiness: see {@link #awaitReady()}). */
    static BenchApp launch(String name, String xmx, Map<String, String> properties) throws IOException {
        int port = freePort();
        Path dataDir = WORK.resolve("data-" + name);
        deleteTree(dataDir);
        Files.createDirectories(dataDir);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.http.host", "127.0.0.1");
        props.put("quarkus.http.port", Integer.toString(port));
        props.put("retrain.store.jdbc.url", "jdbc:h2:file:" + dataDir.resolve("retrain-trigger")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
        props.put("retrain.auth.password-file", dataDir.resolve("admin-password").toString());
        props.putAll(properties);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + xmx);
        cmd.add("-XX:+UseG1GC");
        // -Dbench.app.jvm-args="-XX:StartFlightRecording=filename=target/bench/NAME.jfr" and the like, for profiling
        String extra = System.getProperty("bench.app.jvm-args", "").replace("NAME", name);
        for (String a : extra.trim().split("\\s+")) if (!a.isEmpty()) cmd.add(a);
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(WORK.resolve("quarkus-app").resolve("quarkus-run.jar").toString());
        Path log = OUT.resolve(name + ".log");
        Files.deleteIfExists(log);
        Files.writeString(log, "# " + String.join(" ", cmd) + "\n");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("RETRAIN_ADMIN_PASSWORD", PASSWORD);
        long t = System.nanoTime();
        return new BenchApp(name, dataDir, log, port, pb.start(), t);
    }

    static BenchApp start(String name, String xmx, Map<String, String> properties) throws Exception {
        BenchApp app = launch(name, xmx, properties);
        app.awaitReady();
        return app;
    }

    BenchApp awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            try {
                if (send("GET", "/q/health/ready", null, null).statusCode() == 200) return this;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " not ready within 120 s; see " + log);
    }

    long pid() {
        return process.pid();
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    HttpResponse<String> send(String method, String path, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30)).header("Authorization", AUTH);
        if (contentType != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send("GET", path, null, null);
        if (r.statusCode() != 200) throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** state.openBatch.events of a pipeline, 0 without an open batch. */
    long openBatchEvents(String pipeline) throws IOException, InterruptedException {
        JsonNode ob = getJson("/api/pipelines/" + pipeline).path("state").path("openBatch");
        return ob.isObject() ? ob.path("events").asLong() : 0;
    }

    /** Events counted in the pipeline's decisions (closed batches' eventCount). */
    long decidedEvents(String pipeline) throws IOException, InterruptedException {
        long n = 0;
        for (JsonNode d : getJson("/api/decisions?pipeline=" + pipeline + "&limit=1000")) {
            n += d.path("request").path("metadata").path("eventCount").asLong(0);
        }
        return n;
    }

    int countDecisions(String pipeline, String triggerType) throws IOException, InterruptedException {
        int n = 0;
        for (JsonNode d : getJson("/api/decisions?pipeline=" + pipeline)) {
            if (triggerType.equals(d.path("triggerType").asText())) n++;
        }
        return n;
    }

    String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(pid()));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " did not finish");
        }
        return out;
    }

    private static final Pattern HEAP_USED = Pattern.compile("garbage-first heap\\s+total (\\d+)K, used (\\d+)K");

    /** jcmd GC.run (a full collection), then the used heap of GC.heap_info, in bytes. */
    long heapUsedAfterFullGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) throw new IllegalStateException("no G1 heap line in GC.heap_info:\n" + info);
        return Long.parseLong(m.group(2)) * 1024;
    }

    /** Sum of jvm_memory_used_bytes{area="heap"} of /q/metrics. */
    long heapUsedFromMetrics() throws IOException, InterruptedException {
        HttpResponse<String> r = send("GET", "/q/metrics", null, null);
        double sum = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    /** SIGQUIT: the JVM prints a thread dump to its stdout (the log), without stopping. */
    void threadDump() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-3", Long.toString(pid())).start();
        p.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        }
        deleteTree(dataDir);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    static File file(String name) {
        return OUT.resolve(name).toFile();
    }
}
