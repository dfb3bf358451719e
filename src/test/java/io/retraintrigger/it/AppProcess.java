package io.retraintrigger.it;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The packaged application (target/quarkus-app) as a process of its own, started with system properties,
 * killed with SIGKILL, started again. Its log goes to target/it-logs/NAME.log.
 */
final class AppProcess implements AutoCloseable {
    static final String PASSWORD = "it-admin";
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

    private final String name;
    private final Map<String, String> properties;
    /** The process's working directory; null: this JVM's. */
    private final Path directory;
    private volatile Process process;
    private volatile int port;
    private int starts;

    AppProcess(String name, Map<String, String> properties) {
        this(name, properties, null);
    }

    AppProcess(String name, Map<String, String> properties, Path directory) {
        this.name = name;
        this.properties = new LinkedHashMap<>(properties);
        this.directory = directory;
    }

    /** Starts the process on a free port and waits until it is ready. */
    AppProcess start() throws IOException {
        if (!Files.exists(JAR)) throw new IllegalStateException("package the application first: " + JAR);
        port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx384m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dquarkus.http.port=" + port);
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(JAR.toString());
        Files.createDirectories(Path.of("target", "it-logs"));
        File log = Path.of("target", "it-logs", name + ".log").toAbsolutePath().toFile();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        if (directory != null) pb.directory(directory.toFile());
        pb.environment().put("RETRAIN_ADMIN_PASSWORD", PASSWORD);
        process = pb.start();
        starts++;
        Process p = process;
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    if (!p.isAlive()) throw new IllegalStateException(name + " exited with " + p.exitValue() + "; see " + log);
                    return RestAssured.given().port(port).get("/q/health/ready").statusCode() == 200;
                });
        return this;
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException {
        Process p = process;
        if (p == null) return;
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException(name + " did not die");
    }

    /** SIGTERM: the graceful shutdown an orchestrator asks for; waits until the process has ended. */
    void stop() throws InterruptedException {
        Process p = process;
        if (p == null) return;
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) throw new IllegalStateException(name + " did not stop within 60 s of SIGTERM");
    }

    Path log() {
        return Path.of("target", "it-logs", name + ".log").toAbsolutePath();
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    int port() {
        return port;
    }

    int starts() {
        return starts;
    }

    String name() {
        return name;
    }

    RequestSpecification api() {
        return RestAssured.given().port(port).auth().preemptive().basic("admin", PASSWORD);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
