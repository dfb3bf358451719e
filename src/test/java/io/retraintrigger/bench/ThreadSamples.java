package io.retraintrigger.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * A poor man's sampling profiler: SIGQUIT thread dumps of the application every interval (printed by
 * the JVM to its log, no attach, a short safepoint each), then counted: where the threads that do
 * work are (top frames of running threads, and inclusive counts of the application's and H2's methods).
 */
final class ThreadSamples implements AutoCloseable {
    private final BenchApp app;
    private final long fromOffset;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread sampler;
    private volatile int taken;

    ThreadSamples(BenchApp app, long intervalMillis) throws IOException {
        this.app = app;
        this.fromOffset = Files.size(app.log);
        sampler = new Thread(() -> {
            while (running.get()) {
                try {
                    Thread.sleep(intervalMillis);
                    if (!running.get()) break;
                    app.threadDump();
                    taken++;
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    return;
                }
            }
        }, "bench-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        sampler.interrupt();
        sampler.join(5000);
        Thread.sleep(300); // the last dump reaches the log
    }

    private static final String[] NETWORK_WAIT = {"sun.nio.ch.EPoll.wait", "sun.nio.ch.Net.poll", "sun.nio.ch.SocketDispatcher.read0",
            "sun.nio.ch.Net.accept", "java.net.SocketInputStream.socketRead0", "sun.nio.ch.NioSocketImpl.park"};
    private static final String[] IDLE = {"EnhancedQueueExecutor$PoolThreadNode.park", "ThreadPoolExecutor.getTask", "java.util.TimerThread.mainLoop",
            "sun.nio.ch.EPoll.wait", "ForkJoinPool.awaitWork", "java.lang.ref.Reference.waitForReferencePendingList",
            "java.lang.ref.ReferenceQueue.remove", "SelectorImpl.lockAndDoSelect", "ScheduledThreadPoolExecutor$DelayedWorkQueue.take",
            "org.h2.mvstore.MVStore$BackgroundWriterThread.run", "QuartzSchedulerThread.run", "SimpleThreadPool$WorkerThread.run",
            "java.lang.Thread.sleep", "CleanerImpl.run", "ApplicationLifecycleManager.run", "SimpleMainShutdownStrategy.await", "LinkedBlockingQueue.take", "SynchronousQueue"};
    private static final String[] INTERESTING = {"io.retraintrigger.", "org.h2.", "org.apache.camel.", "software.amazon.", "io.agroal.",
            "com.fasterxml.", "io.quarkus.", "io.vertx.", "io.smallrye.", "org.apache.http."};

    /** Methods counted inclusively: the application's, H2's entry points, the SQS consumer's receive and delete, auth, JSON, signing. */
    private static final String[] INCLUSIVE = {"io.retraintrigger.", "org.h2.engine.SessionLocal.commit", "org.h2.command.Command.execute",
            "org.h2.mvstore.MVStore.", "org.h2.mvstore.FileStore.", "org.h2.mvstore.tx.TransactionStore.", "org.apache.camel.component.aws2.sqs.Sqs2Consumer",
            "io.quarkus.vertx.http.runtime.security.", "io.quarkus.security.", "io.agroal.pool.ConnectionPool.", "com.fasterxml.jackson.databind.ObjectMapper.",
            "software.amazon.awssdk.http.auth.aws.internal.signer.", "org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer.",
            "org.apache.camel.component.bean.MethodInfo.invoke", "org.apache.camel.support.cache.DefaultProducerCache.", "io.micrometer."};

    private static String innermostLibraryFrame(ThreadSample t) {
        for (String f : t.frames) {
            if (!(f.startsWith("java.") || f.startsWith("jdk.") || f.startsWith("sun.") || f.startsWith("com.sun."))) return f;
        }
        return t.frames.get(t.frames.size() - 1);
    }

    private record ThreadSample(String name, String state, List<String> frames, double cpuMillis, double elapsedSeconds) {
    }

    private static final java.util.regex.Pattern CPU = java.util.regex.Pattern.compile("cpu=([0-9.]+)ms elapsed=([0-9.]+)s");

    /** CPU per thread group (digits folded) between the first and the last dump, in cores; JIT and GC threads included. */
    private static String cpuByGroup(List<List<ThreadSample>> dumps) {
        if (dumps.size() < 2) return "";
        Map<String, ThreadSample> first = new HashMap<>();
        for (ThreadSample t : dumps.get(0)) first.put(t.name, t);
        List<ThreadSample> last = dumps.get(dumps.size() - 1);
        double wall = 0;
        for (ThreadSample t : last) {
            ThreadSample f = first.get(t.name);
            if (f != null) wall = Math.max(wall, t.elapsedSeconds - f.elapsedSeconds);
        }
        if (wall <= 0) return "";
        Map<String, Double> byGroup = new HashMap<>();
        double total = 0;
        for (ThreadSample t : last) {
            ThreadSample f = first.get(t.name);
            double d = (t.cpuMillis - (f == null ? 0 : f.cpuMillis)) / 1000.0;
            if (d <= 0) continue;
            byGroup.merge(t.name.replaceAll("\\d+", "N"), d, Double::sum);
            total += d;
        }
        StringBuilder out = new StringBuilder(String.format("%n## CPU by thread (from the dumps' cpu= over %.1f s): %.2f cores in all%n", wall, total / wall));
        double w = wall;
        byGroup.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(12)
                .forEach(e -> out.append(String.format("%6.2f cores  %s%n", e.getValue() / w, e.getKey())));
        return out.toString();
    }

    /** Parses the dumps written since this sampler started and writes the counts to file; returns a short summary. */
    String report(Path file, int top) throws IOException {
        String text;
        byte[] all = Files.readAllBytes(app.log);
        text = new String(all, (int) fromOffset, all.length - (int) fromOffset, StandardCharsets.UTF_8);
        List<List<ThreadSample>> dumps = parse(text);
        Map<String, Integer> selfRunning = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> waitingIn = new HashMap<>();
        Map<String, int[]> byGroup = new HashMap<>();
        int busySamples = 0;
        for (List<ThreadSample> dump : dumps) {
            for (ThreadSample t : dump) {
                if (t.frames.isEmpty() || idle(t) || !interesting(t)) continue;
                busySamples++;
                String group = t.name.replaceAll("\\d+", "N");
                boolean net = "RUNNABLE".equals(t.state) && startsWithAny(t.frames.get(0), NETWORK_WAIT);
                boolean run = "RUNNABLE".equals(t.state) && !net;
                int[] g = byGroup.computeIfAbsent(group, k -> new int[3]);
                g[run ? 0 : net ? 1 : 2]++;
                if (run) selfRunning.merge(t.frames.get(0) + "  [in " + innermostLibraryFrame(t) + "]", 1, Integer::sum);
                else waitingIn.merge((net ? "network: " : t.state + ": ") + firstInteresting(t), 1, Integer::sum);
                Set<String> seen = new LinkedHashSet<>();
                for (String f : t.frames) {
                    if (startsWithAny(f, INCLUSIVE)) seen.add(f);
                }
                for (String f : seen) inclusive.merge(f, 1, Integer::sum);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("dumps: ").append(dumps.size()).append(", busy thread samples: ").append(busySamples).append('\n');
        out.append(cpuByGroup(dumps));
        out.append("\n## threads (running / network wait / blocked or waiting)\n");
        byGroup.entrySet().stream().sorted((a, b) -> Integer.compare(sum(b.getValue()), sum(a.getValue())))
                .forEach(e -> out.append(String.format("%6d %6d %6d  %s%n", e.getValue()[0], e.getValue()[1], e.getValue()[2], e.getKey())));
        appendTop(out, "top frames of running threads (self)", selfRunning, busySamples, top);
        appendTop(out, "waiting (first application/library frame)", waitingIn, busySamples, top);
        appendTop(out, "inclusive (application methods, H2 entry points, SQS receive/delete, auth, JSON, signing on the stack)", inclusive, busySamples, top * 2);
        Files.writeString(file, out.toString());
        return out.toString();
    }

    private static int sum(int[] a) {
        return a[0] + a[1] + a[2];
    }

    private static void appendTop(StringBuilder out, String title, Map<String, Integer> counts, int total, int top) {
        out.append("\n## ").append(title).append('\n');
        counts.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue(), a.getValue())).limit(top)
                .forEach(e -> out.append(String.format("%6d %5.1f%%  %s%n", e.getValue(), 100.0 * e.getValue() / Math.max(1, total), e.getKey())));
    }

    private static boolean startsWithAny(String frame, String[] prefixes) {
        for (String p : prefixes) if (frame.startsWith(p)) return true;
        return false;
    }

    private static boolean idle(ThreadSample t) {
        for (int i = 0; i < Math.min(8, t.frames.size()); i++) {
            String f = t.frames.get(i);
            if (f.startsWith("io.retraintrigger.") || f.startsWith("org.h2.mvstore.MVStore.") || f.startsWith("org.h2.command")) return false;
            for (String p : IDLE) if (f.contains(p)) return true;
        }
        return false;
    }

    private static boolean interesting(ThreadSample t) {
        for (String f : t.frames) if (startsWithAny(f, INTERESTING)) return true;
        return false;
    }

    private static String firstInteresting(ThreadSample t) {
        for (String f : t.frames) if (f.startsWith("io.retraintrigger.")) return f + " (top " + t.frames.get(0) + ")";
        for (String f : t.frames) if (startsWithAny(f, INTERESTING)) return f + " (top " + t.frames.get(0) + ")";
        return t.frames.get(0);
    }

    private static List<List<ThreadSample>> parse(String text) {
        List<List<ThreadSample>> dumps = new ArrayList<>();
        List<ThreadSample> current = null;
        String name = null, state = null;
        double cpu = 0, elapsed = 0;
        List<String> frames = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("Full thread dump")) {
                current = new ArrayList<>();
                dumps.add(current);
                continue;
            }
            if (current == null) continue;
            if (line.startsWith("\"")) {
                if (name != null) current.add(new ThreadSample(name, state, frames, cpu, elapsed));
                name = line.substring(1, Math.max(1, line.indexOf('"', 1)));
                java.util.regex.Matcher m = CPU.matcher(line);
                cpu = m.find() ? Double.parseDouble(m.group(1)) : 0;
                elapsed = m.find(0) ? Double.parseDouble(m.group(2)) : 0;
                state = null;
                frames = new ArrayList<>();
            } else if (name != null && line.trim().startsWith("java.lang.Thread.State:")) {
                String s = line.trim().substring("java.lang.Thread.State:".length()).trim();
                state = s.contains(" ") ? s.substring(0, s.indexOf(' ')) : s;
            } else if (name != null && line.startsWith("\tat ")) {
                String f = line.substring(4);
                int paren = f.indexOf('(');
                frames.add(paren > 0 ? f.substring(0, paren) : f);
            } else if (line.startsWith("JNI global refs") || line.startsWith("Heap")) {
                if (name != null) current.add(new ThreadSample(name, state, frames, cpu, elapsed));
                name = null;
                current = null;
            }
        }
        if (current != null && name != null) current.add(new ThreadSample(name, state, frames, cpu, elapsed));
        return dumps;
    }

    int taken() {
        return taken;
    }

    static String head(String report, int lines) {
        return report.lines().limit(lines).collect(Collectors.joining("\n"));
    }
}
