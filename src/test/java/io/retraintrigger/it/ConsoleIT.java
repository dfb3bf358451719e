package io.retraintrigger.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The web console in a real browser: the packaged app, and tools/console/console-test.mjs driving Debian's
 * Chromium (/usr/bin/chromium) with playwright-core (tools/node_modules). The script logs in as admin, posts
 * a critical drift alert through the page, watches its decision appear, approves the review, follows a batch's
 * fill and pages its data list, sees a missed-signal finding on its pipeline and in the timeline, checks route
 * stats and dead letters, then logs in as a viewer (no approve, no route control, no post form) and tries a
 * wrong password. Screenshots of each step: target/console-screenshots/. A missing tool fails the test.
 */
class ConsoleIT {
    private static final Path SCRIPT = Path.of("tools", "console", "console-test.mjs").toAbsolutePath();
    private static final Path PLAYWRIGHT = Path.of("tools", "node_modules", "playwright-core", "package.json").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String PIPELINE = "console-review";
    private static final String BATCH_PIPELINE = "console-batch";
    private static final String BATCH_PREFIX = "s3://console-test/batch/";
    private static final String QUIET_PIPELINE = "console-quiet";
    private static final String VIEWER = "console-viewer";
    private static final String VIEWER_PASSWORD = "console-viewer-pw";

    @TempDir
    Path workDir;

    @Test
    void theConsoleWorksInABrowser() throws Exception {
        requireTools();
        Map<String, String> properties = new LinkedHashMap<>();
        // a dry-run pipeline: critical drift (score >= 0.5, the default threshold) opens a TRAINING_REVIEW
        properties.put("retrain.pipelines." + PIPELINE + ".target", "dry-run");
        // a batch of 25 data arrivals (its fill on the pipeline card, its data list paged in the detail)
        properties.put("retrain.pipelines." + BATCH_PIPELINE + ".target", "dry-run");
        properties.put("retrain.pipelines." + BATCH_PIPELINE + ".data-sources", BATCH_PREFIX);
        properties.put("retrain.pipelines." + BATCH_PIPELINE + ".batch.size", "25");
        // a pipeline that expects data within 2 s and gets none: a MISSED_SIGNAL finding
        properties.put("retrain.pipelines." + QUIET_PIPELINE + ".target", "dry-run");
        properties.put("retrain.pipelines." + QUIET_PIPELINE + ".expect.data-within", "2s");
        properties.put("retrain.expect.check-interval", "1s");
        properties.put("retrain.auth.users." + VIEWER + ".password", VIEWER_PASSWORD);
        properties.put("retrain.auth.users." + VIEWER + ".roles", "viewer");
        try (AppProcess app = new AppProcess("console", properties, workDir).start()) {
            Path shots = Path.of("target", "console-screenshots").toAbsolutePath();
            Files.createDirectories(shots);
            try (var old = Files.list(shots)) {
                for (Path p : old.toList()) Files.deleteIfExists(p);
            }
            Path log = Path.of("target", "it-logs", "console-test.log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder("node", SCRIPT.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            Map<String, String> env = pb.environment();
            env.put("CONSOLE_URL", "http://127.0.0.1:" + app.port());
            env.put("CONSOLE_ADMIN_USER", "admin");
            env.put("CONSOLE_ADMIN_PASSWORD", AppProcess.PASSWORD);
            env.put("CONSOLE_VIEWER_USER", VIEWER);
            env.put("CONSOLE_VIEWER_PASSWORD", VIEWER_PASSWORD);
            env.put("CONSOLE_REVIEW_PIPELINE", PIPELINE);
            env.put("CONSOLE_BATCH_PIPELINE", BATCH_PIPELINE);
            env.put("CONSOLE_BATCH_PREFIX", BATCH_PREFIX);
            env.put("CONSOLE_QUIET_PIPELINE", QUIET_PIPELINE);
            env.put("CONSOLE_SCREENSHOTS", shots.toString());
            Process node = pb.start();
            if (!node.waitFor(4, TimeUnit.MINUTES)) {
                node.destroyForcibly();
                fail("the browser test did not end within 4 minutes:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, node.exitValue(), "tools/console/console-test.mjs failed (screenshots in " + shots + "):\n" + output);
            assertTrue(output.contains("steps passed"), output);
            try (var taken = Files.list(shots)) {
                assertTrue(taken.filter(p -> p.toString().endsWith(".png")).count() >= 10, "screenshots missing in " + shots);
            }
        }
    }

    /** Node.js, playwright-core and Chromium must be there: their absence fails the test, saying what to install. */
    private static void requireTools() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) fail("`node --version` failed: install Node.js (Debian: apt-get install nodejs npm)");
        } catch (IOException e) {
            fail("Node.js is missing: install it (Debian: apt-get install nodejs npm): " + e.getMessage());
        }
        if (!Files.exists(PLAYWRIGHT)) {
            fail("playwright-core is missing in tools/node_modules: run `npm ci --prefix tools`");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            fail("Chromium is missing at " + CHROMIUM + ": apt-get install -y --no-install-recommends chromium");
        }
    }
}
