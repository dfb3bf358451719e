package io.retraintrigger.launch.azureml;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retraintrigger.config.AzureConfig;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.ModelPromoter;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.EvaluationReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Promotes a model version in an Azure ML workspace by a tag ({@code retrain.pipelines.NAME.azureml.promotion-tag},
 * {@code stage=champion}): Model Versions - List with {@code tags=NAME=VALUE} finds the versions that have it,
 * each gets it removed (Get, then Create Or Update with the same properties less the tag), and the new
 * version gets it (Get, Create Or Update). A resend finds the tag on the new version only and writes
 * nothing. The report's {@code model} is {@code azureml:NAME:VERSION} (or {@code NAME:VERSION}) in the
 * pipeline's workspace.
 */
@ApplicationScoped
public class AzureMlPromoter implements ModelPromoter {
    private static final Logger LOG = Logger.getLogger(AzureMlPromoter.class);
    static final Pattern MODEL = Pattern.compile("(?:azureml:)?([A-Za-z0-9][A-Za-z0-9_.-]{0,254}):(\\d+)");
    static final Pattern TAG = Pattern.compile("([^=\\s]+)=(.+)");

    private final AzureRest rest;
    private final String armEndpoint;
    private final String apiVersion;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public AzureMlPromoter(@Named("azureCredential") TokenCredential credential, AzureConfig azure) {
        this(credential, AzureMlLauncher.defaultHttpClient(), azure.resourceManagerEndpoint(), azure.mlApiVersion());
    }

    public AzureMlPromoter(TokenCredential credential, HttpClient http, String armEndpoint, String apiVersion) {
        this.rest = new AzureRest(credential, http, AzureMlLauncher.MAX_ATTEMPTS, AzureMlLauncher.MAX_RETRY_AFTER);
        this.armEndpoint = armEndpoint.replaceAll("/+$", "");
        this.apiVersion = apiVersion;
    }

    @Override
    public String target() {
        return AzureMlLauncher.TARGET;
    }

    @Override
    public Map<String, String> promote(PipelineSettings pipeline, Decision decision, EvaluationReport report) {
        Matcher m = report.model() == null ? null : MODEL.matcher(report.model());
        if (m == null || !m.matches()) {
            throw new LaunchRejectedException("the report's model '" + report.model() + "' is not an Azure ML model version (azureml:NAME:VERSION)", null);
        }
        RetrainConfig.Pipeline.AzureMl az = pipeline.azureMl();
        if (az.subscriptionId().isEmpty() || az.resourceGroup().isEmpty() || az.workspace().isEmpty()) {
            throw new LaunchRejectedException(pipeline.key() + ".azureml: subscription-id, resource-group and workspace name the model's workspace", null);
        }
        Matcher tag = TAG.matcher(az.promotionTag());
        if (!tag.matches()) throw new LaunchRejectedException(pipeline.key() + ".azureml.promotion-tag is not NAME=VALUE", null);
        String name = m.group(1);
        String version = m.group(2);
        String versions = armEndpoint + "/subscriptions/" + AzureMlLauncher.segment(az.subscriptionId().get()) + "/resourceGroups/"
                + AzureMlLauncher.segment(az.resourceGroup().get()) + "/providers/Microsoft.MachineLearningServices/workspaces/"
                + AzureMlLauncher.segment(az.workspace().get()) + "/models/" + AzureMlLauncher.segment(name) + "/versions";
        String q = "?api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8);
        Map<String, String> sent = new LinkedHashMap<>();

        JsonNode holders = read(rest.send("Azure ML", AzureMlLauncher.ARM_SCOPE, HttpMethod.GET,
                versions + q + "&tags=" + URLEncoder.encode(tag.group(1) + "=" + tag.group(2), StandardCharsets.UTF_8), Map.of("Accept", "application/json"), null));
        for (JsonNode v : holders.path("value")) {
            String other = v.path("name").asText();
            if (other.equals(version) || !tag.group(2).equals(v.path("properties").path("tags").path(tag.group(1)).asText(null))) continue;
            if (retag(versions + "/" + AzureMlLauncher.segment(other) + q, tag.group(1), null)) sent.put("version " + other, "-" + tag.group(1));
        }
        if (retag(versions + "/" + AzureMlLauncher.segment(version) + q, tag.group(1), tag.group(2))) {
            sent.put("version " + version, tag.group(1) + "=" + tag.group(2));
        } else {
            sent.put("version " + version, tag.group(1) + "=" + tag.group(2) + " (had it already)");
        }
        LOG.infof("azureml: %s now on model %s version %s (decision %s)", az.promotionTag(), name, version, decision.id());
        return sent;
    }

    /** Sets (value) or removes (null) one tag of a model version; false when it was so already. */
    private boolean retag(String url, String key, String value) {
        JsonNode current = read(rest.send("Azure ML", AzureMlLauncher.ARM_SCOPE, HttpMethod.GET, url, Map.of("Accept", "application/json"), null));
        ObjectNode properties = current.path("properties").isObject() ? ((ObjectNode) current.path("properties")).deepCopy() : json.createObjectNode();
        ObjectNode tags = properties.path("tags").isObject() ? (ObjectNode) properties.path("tags") : properties.putObject("tags");
        if (value == null ? !tags.has(key) : value.equals(tags.path(key).asText(null))) return false;
        if (value == null) tags.remove(key);
        else tags.put(key, value);
        ObjectNode body = json.createObjectNode();
        body.set("properties", properties);
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        AzureRest.Answer r = rest.send("Azure ML", AzureMlLauncher.ARM_SCOPE, HttpMethod.PUT, url, Map.of("Content-Type", "application/json"), bytes);
        if (r.status() != 200 && r.status() != 201) throw AzureRest.refusal("Azure ML", r);
        return true;
    }

    private JsonNode read(AzureRest.Answer r) {
        if (r.status() != 200) throw AzureRest.refusal("Azure ML", r);
        try {
            return json.readTree(r.body());
        } catch (JsonProcessingException e) {
            throw new LaunchRejectedException("Azure ML answered with no JSON: " + e.getOriginalMessage(), e);
        }
    }
}
