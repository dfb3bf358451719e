package io.retraintrigger.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.retraintrigger.config.ConfigFiles;
import io.retraintrigger.config.ConfigurationError;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code bin/backtest --events events.jsonl --config candidate.properties [--against current.properties]
 * [--sweep key=v1,v2,...] [--approve-after 1h|never] [--reject-approvals] [--json] [--progress N]}.
 * Prints the reports side by side (or as JSON); progress goes to the error stream.
 */
public final class BacktestCommand {
    static final String USAGE = """
            usage: backtest --events FILE.jsonl --config CANDIDATE.properties [--against CURRENT.properties]
                            [--sweep KEY=V1,V2,...] [--approve-after 1h|never] [--reject-approvals]
                            [--progress EVENTS] [--json]""";

    private BacktestCommand() {
    }

    /** @return the exit status: 0 done, 2 bad arguments or configuration, 1 the replay failed */
    public static int run(String[] args, ReplayServices services, PrintStream out, PrintStream err) {
        quietLogs();
        Map<String, String> a;
        try {
            a = arguments(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            Path events = Path.of(a.get("events"));
            if (!Files.isReadable(events)) throw new IllegalArgumentException("--events " + events + ": no such readable file");
            Map<String, String> candidate = ConfigFiles.read(Path.of(a.get("config")));
            Map<String, String> against = a.containsKey("against") ? ConfigFiles.read(Path.of(a.get("against"))) : null;
            Replay.Options options = options(a);
            Backtest backtest = new Backtest(services, options, err::println);
            Supplier<Iterator<String>> lines = () -> lines(events);
            List<BacktestReport> reports;
            boolean[] front = null;
            if (a.containsKey("sweep")) {
                if (against != null) throw new IllegalArgumentException("--sweep and --against do not go together");
                reports = backtest.sweep(lines, candidate, Backtest.Sweep.parse(a.get("sweep")));
                front = BacktestReport.pareto(reports);
            } else {
                reports = backtest.compare(lines, candidate, against);
            }
            if (a.containsKey("json")) {
                out.println(json(reports, front));
            } else {
                out.print(table(reports, front));
            }
            return 0;
        } catch (IllegalArgumentException | ConfigurationError | UncheckedIOException e) {
            err.println("backtest: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("backtest failed: " + e);
            return 1;
        }
    }

    static Replay.Options options(Map<String, String> a) {
        Duration approve;
        try {
            approve = Replay.Options.approveAfter(a.getOrDefault("approve-after", "1h"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--approve-after: " + e.getMessage());
        }
        long progress = Long.parseLong(a.getOrDefault("progress", "100000"));
        return new Replay.Options(approve, !a.containsKey("reject-approvals"), progress);
    }

    private static final List<String> FLAGS = List.of("json", "reject-approvals");
    private static final List<String> VALUED = List.of("events", "config", "against", "sweep", "approve-after", "progress");

    static Map<String, String> arguments(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name != null && FLAGS.contains(name)) {
                out.put(name, "true");
            } else if (name != null && VALUED.contains(name)) {
                if (i + 1 >= args.length) throw new IllegalArgumentException("--" + name + " needs a value");
                out.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        if (!out.containsKey("events")) throw new IllegalArgumentException("--events is required");
        if (!out.containsKey("config")) throw new IllegalArgumentException("--config is required");
        if (out.containsKey("progress")) {
            try {
                if (Long.parseLong(out.get("progress")) < 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--progress takes a whole number of events >= 0");
            }
        }
        return out;
    }

    private static Iterator<String> lines(Path file) {
        try {
            BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            return in.lines().iterator();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static String json(List<BacktestReport> reports, boolean[] front) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            Map<String, Object> m = reports.get(i).toMap();
            if (front != null) m.put("pareto", front[i]);
            out.add(m);
        }
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Map.of("reports", out));
    }

    /** The reports side by side, one column each; a sweep's best values (Pareto front) marked with *. */
    static String table(List<BacktestReport> reports, boolean[] front) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) names.add(reports.get(i).name() + (front != null && front[i] ? " *" : ""));
        List<String[]> rows = new ArrayList<>();
        row(rows, reports, "events replayed", r -> Long.toString(r.events()));
        row(rows, reports, "lines refused", r -> Long.toString(r.unreadable()));
        row(rows, reports, "period", r -> r.from() == null ? "-" : r.from() + " .. " + r.to());
        row(rows, reports, "replay time", r -> String.format(Locale.ROOT, "%.1f s", r.elapsed().toMillis() / 1000.0));
        row(rows, reports, "trainings", r -> Long.toString(r.totalTrainings()));
        for (var type : io.retraintrigger.model.TriggerType.values()) {
            row(rows, reports, "  " + type.name().toLowerCase(Locale.ROOT), r -> Long.toString(r.trainings().getOrDefault(type, 0L)));
        }
        row(rows, reports, "estimated cost", r -> String.format(Locale.ROOT, "%.2f", r.estimatedCost()));
        row(rows, reports, "time to adapt p50", r -> human(r.timeToAdapt().p50()));
        row(rows, reports, "time to adapt p95", r -> human(r.timeToAdapt().p95()));
        row(rows, reports, "time to adapt max", r -> human(r.timeToAdapt().max()));
        row(rows, reports, "drift episodes", r -> r.timeToAdapt().count() + " answered, " + r.openEpisodes() + " open");
        row(rows, reports, "untrained data age p50", r -> human(r.untrainedDataAge().p50()));
        row(rows, reports, "untrained data age max", r -> human(r.untrainedDataAge().max()));
        row(rows, reports, "largest storm (1 h)", r -> r.largestStorm() == null ? "-"
                : r.largestStorm().events() + " events of " + r.largestStorm().pipeline() + " -> " + r.largestStorm().trainings() + " trainings");
        row(rows, reports, "failed launches", r -> Long.toString(r.failed()));
        for (String code : codes(reports, true)) row(rows, reports, "deferred: " + code, r -> Long.toString(r.deferred().getOrDefault(code, 0L)));
        for (String code : codes(reports, false)) row(rows, reports, "rejected: " + code, r -> Long.toString(r.rejected().getOrDefault(code, 0L)));
        int label = Math.max(22, rows.stream().mapToInt(r -> r[0].length()).max().orElse(0));
        int[] width = new int[reports.size()];
        for (int i = 0; i < reports.size(); i++) {
            width[i] = names.get(i).length();
            for (String[] r : rows) width[i] = Math.max(width[i], r[i + 1].length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(pad("", label));
        for (int i = 0; i < names.size(); i++) sb.append("  ").append(pad(names.get(i), width[i]));
        sb.append('\n');
        for (String[] r : rows) {
            sb.append(pad(r[0], label));
            for (int i = 0; i < reports.size(); i++) sb.append("  ").append(pad(r[i + 1], width[i]));
            sb.append('\n');
        }
        if (front != null) sb.append("* no other value has both a lower estimated cost and a shorter median time to adapt\n");
        return sb.toString();
    }

    private static List<String> codes(List<BacktestReport> reports, boolean deferred) {
        return reports.stream().flatMap(r -> (deferred ? r.deferred() : r.rejected()).keySet().stream()).distinct().sorted().toList();
    }

    private static void row(List<String[]> rows, List<BacktestReport> reports, String label, Function<BacktestReport, String> cell) {
        String[] r = new String[reports.size() + 1];
        r[0] = label;
        for (int i = 0; i < reports.size(); i++) r[i + 1] = cell.apply(reports.get(i));
        rows.add(r);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
        if (s < 86400) return (s / 3600) + "h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + "m");
        return (s / 86400) + "d" + (s % 86400 / 3600 == 0 ? "" : " " + s % 86400 / 3600 + "h");
    }

    /** The replay's own logging (Flyway, the dry-run launcher) would drown the report: warnings and errors only. */
    private static void quietLogs() {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (Handler h : root.getHandlers()) h.setLevel(Level.WARNING);
    }
}
