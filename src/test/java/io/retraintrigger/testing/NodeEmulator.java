package io.retraintrigger.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An emulator from the npm packages in tools/ (installed by `npm ci --prefix tools`, which .ci/run does),
 * run as a child process on a free loopback port.
 */
public final class NodeEmulator implements AutoCloseable {
    private final Process process;
    private final int port;

    private NodeEmulator(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param script path below tools/node_modules, e.g. dynalite/cli.js
     * @param args   arguments; the literal {@code {port}} is replaced by the chosen port
     */
    public static NodeEmulator start(String name, String script, String... args) {
        Path tools = toolsDir();
        Path js = tools.resolve("node_modules").resolve(script);
        if (!Files.exists(js)) {
            install(tools);
        }
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of("node", js.toString()));
        for (String a : args) cmd.add(a.replace("{port}", Integer.toString(port)));
        try {
            Path log = Path.of("target", name + "-" + port + ".log");
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(cmd).directory(tools.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            NodeEmulator emulator = new NodeEmulator(p, port);
            emulator.awaitPort(Duration.ofSeconds(30), log);
            return emulator;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** `npm ci` in tools/, once, when the test tools are not installed yet (a fresh clone). */
    private static synchronized void install(Path tools) {
        if (Files.exists(tools.resolve("node_modules").resolve(".package-lock.json"))) return;
        try {
            // its output to a file, not the console; a failure names the file and quotes its end
            Path log = Path.of("target", "npm-ci.log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(tools.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            if (npm.waitFor() != 0) {
                List<String> lines = Files.readAllLines(log);
                throw new IllegalStateException("`npm ci` in " + tools + " failed with " + npm.exitValue() + "; see " + log + ":\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run npm (Node.js and npm are needed by the tests): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitPort(Duration timeout, Path log) {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("emulator exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("emulator did not listen on port " + port + " within " + timeout + "; see " + log);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static Path toolsDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("tools"))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("no tools/ directory above " + new File("").getAbsolutePath());
        return dir.resolve("tools");
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
