package io.retraintrigger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retraintrigger.backtest.Backtest;
import io.retraintrigger.backtest.BacktestReport;
import io.retraintrigger.backtest.Replay;
import io.retraintrigger.backtest.ReplayServices;
import io.retraintrigger.config.ConfigFiles;
import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.model.BadInputException;
import io.smallrye.config.SmallRyeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * POST /api/backtest: the service's own kept events of a time range replayed under a candidate configuration
 * (the service's configuration with some keys changed), beside the configuration as it runs, or for each value of
 * a sweep. Body: {@code {"from", "to", "candidate": {key: value}, "against": {key: value}, "sweep": "key=v1,v2",
 * "approveAfter": "1h" | "never"}}; the answer is the reports, as the backtest command's --json prints them.
 */
@ApplicationScoped
@Named("backtestApi")
public class BacktestApi {
    private final ObjectMapper mapper = new ObjectMapper();
    private final EventsApi events;
    private final ReplayServices services;

    @Inject
    public BacktestApi(EventsApi events, ReplayServices services) {
        this.events = events;
        this.services = services;
    }

    public Map<String, Object> run(byte[] body) {
        JsonNode req = json(body);
        String from = text(req, "from");
        String to = text(req, "to");
        events.export(from, to); // checks the range (400 naming the parameter) before any work
        Map<String, String> current = ConfigFiles.resolved(ConfigProvider.getConfig().unwrap(SmallRyeConfig.class));
        Map<String, String> candidate = over(current, req, "candidate");
        Duration approveAfter = approveAfter(text(req, "approveAfter"));
        Backtest backtest = new Backtest(services, new Replay.Options(approveAfter, true, 0), null);
        Supplier<Iterator<String>> recorded = () -> {
            Iterator<io.retraintrigger.model.TriggerEvent> it = events.export(from, to);
            return new Iterator<>() {
                public boolean hasNext() {
                    return it.hasNext();
                }

                public String next() {
                    return services.write(it.next());
                }
            };
        };
        String sweep = text(req, "sweep");
        try {
            List<BacktestReport> reports;
            boolean[] front = null;
            if (sweep != null) {
                if (req.has("against")) throw new BadInputException(422, "invalid fields: sweep and against do not go together");
                reports = backtest.sweep(recorded, candidate, sweepOf(sweep));
                front = BacktestReport.pareto(reports);
            } else {
                Map<String, String> against = req.has("against") ? over(current, req, "against") : current;
                reports = backtest.compare(recorded, candidate, against);
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < reports.size(); i++) {
                Map<String, Object> m = reports.get(i).toMap();
                if (front != null) m.put("pareto", front[i]);
                out.add(m);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("from", from);
            answer.put("to", to);
            answer.put("reports", out);
            return answer;
        } catch (ConfigurationError e) {
            throw new BadInputException(422, e.getMessage());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("backtest failed: " + e.getMessage(), e);
        }
    }

    private static Backtest.Sweep sweepOf(String spec) {
        try {
            Backtest.Sweep s = Backtest.Sweep.parse(spec);
            key(s.key(), "sweep");
            return s;
        } catch (IllegalArgumentException e) {
            throw new BadInputException(422, "invalid field sweep: " + e.getMessage());
        }
    }

    /** The current configuration with the keys of field {@code name} (an object of retrain.* keys and string values) over it. */
    private static Map<String, String> over(Map<String, String> current, JsonNode req, String name) {
        Map<String, String> out = new HashMap<>(current);
        JsonNode o = req.get(name);
        if (o == null || o.isNull()) return out;
        if (!o.isObject()) throw new BadInputException(422, "invalid field " + name + ": must be an object of retrain.* keys and their values");
        var fields = o.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            key(f.getKey(), name);
            if (!f.getValue().isValueNode() || f.getValue().isNull()) {
                throw new BadInputException(422, "invalid field " + name + "." + f.getKey() + ": must be a string, number or boolean");
            }
            out.put(f.getKey(), f.getValue().asText());
        }
        return out;
    }

    private static void key(String key, String field) {
        if (!key.startsWith("retrain.") || key.startsWith("retrain.store.") || key.startsWith("retrain.auth.") || key.length() > 300) {
            throw new BadInputException(422, "invalid field " + field + ": '" + (key.length() > 100 ? key.substring(0, 100) + "..." : key)
                    + "' is not a retrain.* key a backtest may change (retrain.store.* and retrain.auth.* excluded)");
        }
    }

    private static Duration approveAfter(String v) {
        try {
            return Replay.Options.approveAfter(v == null ? "1h" : v);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(422, "invalid field approveAfter: " + e.getMessage());
        }
    }

    private JsonNode json(byte[] body) {
        if (body == null || body.length == 0) throw new BadInputException(400, "malformed JSON: empty body");
        try {
            JsonNode n = mapper.readTree(body);
            if (n == null || !n.isObject()) throw new BadInputException(400, "malformed request: must be a JSON object");
            return n;
        } catch (IOException e) {
            throw new BadInputException(400, "malformed JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new BadInputException(422, "invalid field " + field + ": must be a string");
        return v.asText();
    }
}
