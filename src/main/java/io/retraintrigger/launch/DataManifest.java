package io.retraintrigger.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.LaunchParameters;
import io.retraintrigger.model.RequestMetadata;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data of a decision as a launcher passes it when DataPaths is too long to pass inline: a JSON object
 * {@code {"decisionId","pipeline","uris":[...],"count","totalBytes"}} stored at
 * {@code <location>/manifests/<decision id>.json}, the same object on every resend.
 *
 * @param uris       the request's data URIs, else those of the comma-separated DataPaths
 * @param totalBytes the request's total bytes, else the DataSizeBytes parameter (0 when missing or not a number)
 */
public record DataManifest(List<String> uris, long totalBytes) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(DataManifest.class);

    /** The data of a decision: from its request's metadata when that has URIs, else from {@code dataPaths}. */
    public static DataManifest of(Decision decision, String dataPaths) {
        RequestMetadata md = decision.request() == null ? null : decision.request().metadata();
        if (md != null && !md.dataUris().isEmpty()) return new DataManifest(md.dataUris(), md.totalBytes());
        return new DataManifest(Arrays.asList(dataPaths.split(",")),
                parseLong(decision.launch().parameters().get(LaunchParameters.DATA_SIZE_BYTES)));
    }

    /**
     * Writes the manifest of a decision's data (the same object on every resend) and returns its URI.
     *
     * @param location the pipeline's manifest location in {@code store}
     */
    public static String write(ManifestStore store, String location, Decision decision, String pipeline, String dataPaths) {
        DataManifest manifest = of(decision, dataPaths);
        String uri = store.put(location, decision.id(), manifest.json(decision, pipeline));
        LOG.infof("%d data URIs of decision %s written to %s", manifest.uris().size(), decision.id(), uri);
        return uri;
    }

    /** Where a manifest goes in a bucket of an object store. */
    public record Location(String bucket, String object) {
    }

    /**
     * The bucket and object of manifest {@code name} under {@code location}, a URI whose {@code form}
     * (group 1 the bucket, group 2 the prefix) is checked at startup.
     */
    public static Location locate(Pattern form, String location, String name, String described) {
        Matcher m = form.matcher(location);
        if (!m.matches()) throw new LaunchRejectedException("manifest location " + location + " is not " + described, null);
        return new Location(m.group(1), objectName(m.group(2), name));
    }

    /** {@code [<prefix>/]manifests/<name>.json}, the prefix without '/' at either end (none when null or empty). */
    public static String objectName(String prefix, String name) {
        String p = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        return (p.isEmpty() ? "" : p + "/") + "manifests/" + name + ".json";
    }

    /** The manifest's JSON; {@code pipeline} is used when the decision names none. */
    public byte[] json(Decision decision, String pipeline) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("decisionId", decision.id());
        manifest.put("pipeline", decision.pipeline() != null ? decision.pipeline() : pipeline);
        manifest.put("uris", uris);
        manifest.put("count", uris.size());
        manifest.put("totalBytes", totalBytes);
        try {
            return JSON.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
