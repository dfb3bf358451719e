package io.retraintrigger.guardrails;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.EvaluationReport;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The evaluation report's JSON (README, "Guardrails"), read strictly: a field it does not know, a metric
 * outside [0, 1] or a negative count is refused with a 4xx naming it, so that a typo never passes as a
 * missing figure.
 */
public final class ReportFormat {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("model", "goldenSet", "candidate", "baseline", "predictions", "errors", "requireApproval");

    private ReportFormat() {
    }

    public static EvaluationReport parse(byte[] body) {
        JsonNode n;
        try {
            n = body == null || body.length == 0 ? null : MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadInputException(400, "malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new BadInputException(400, "malformed JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) throw new BadInputException(400, "malformed report: must be a JSON object");
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw new BadInputException(422, "unknown field " + f + " in the report; fields: " + new java.util.TreeSet<>(FIELDS));
        }
        JsonNode model = n.get("model");
        if (model != null && !model.isNull() && !model.isTextual()) throw new BadInputException(422, "invalid field model: must be a string");
        JsonNode ask = n.get("requireApproval");
        if (ask != null && !ask.isNull() && !ask.isBoolean()) throw new BadInputException(422, "invalid field requireApproval: must be true or false");
        JsonNode predictions = object(n, "predictions");
        if (predictions != null) {
            for (Iterator<String> it = predictions.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("candidate") && !f.equals("baseline")) {
                    throw new BadInputException(422, "unknown field predictions." + f + "; fields: [baseline, candidate]");
                }
            }
        }
        return new EvaluationReport(model == null || model.isNull() ? null : model.asText(), unitMetrics(n, "goldenSet"), unitMetrics(n, "candidate"),
                unitMetrics(n, "baseline"), new EvaluationReport.Predictions(shares(predictions, "predictions.", "candidate"),
                shares(predictions, "predictions.", "baseline")), counts(n), ask != null && ask.asBoolean());
    }

    private static JsonNode object(JsonNode parent, String field) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw new BadInputException(422, "invalid field " + field + ": must be an object");
        return v;
    }

    private static Map<String, Double> unitMetrics(JsonNode n, String field) {
        Map<String, Double> out = new LinkedHashMap<>();
        JsonNode o = object(n, field);
        if (o == null) return out;
        o.fields().forEachRemaining(e -> {
            double v = number(e.getValue(), field + "." + e.getKey());
            if (v < 0 || v > 1) throw new BadInputException(422, "invalid field " + field + "." + e.getKey() + ": must be in [0, 1], was " + v);
            out.put(e.getKey(), v);
        });
        return out;
    }

    private static Map<String, Double> shares(JsonNode parent, String prefix, String field) {
        Map<String, Double> out = new LinkedHashMap<>();
        JsonNode o = object(parent, field);
        if (o == null) return out;
        o.fields().forEachRemaining(e -> {
            double v = number(e.getValue(), prefix + field + "." + e.getKey());
            if (v < 0) throw new BadInputException(422, "invalid field " + prefix + field + "." + e.getKey() + ": must not be negative, was " + v);
            out.put(e.getKey(), v);
        });
        return out;
    }

    private static Map<String, Long> counts(JsonNode n) {
        Map<String, Long> out = new LinkedHashMap<>();
        JsonNode o = object(n, "errors");
        if (o == null) return out;
        o.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
                throw new BadInputException(422, "invalid field errors." + e.getKey() + ": must be a count (a whole number >= 0), was " + v);
            }
            out.put(e.getKey(), v.asLong());
        });
        return out;
    }

    private static double number(JsonNode v, String name) {
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) throw new BadInputException(422, "invalid field " + name + ": must be a number, was " + v);
        return v.asDouble();
    }
}
