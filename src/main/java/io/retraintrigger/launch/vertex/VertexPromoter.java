package io.retraintrigger.launch.vertex;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.aiplatform.v1.MergeVersionAliasesRequest;
import com.google.cloud.aiplatform.v1.Model;
import com.google.cloud.aiplatform.v1.ModelServiceClient;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.ModelPromoter;
import io.retraintrigger.launch.RetryableLaunchException;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.EvaluationReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Promotes a model version in the Vertex AI Model Registry by its version alias
 * ({@code retrain.pipelines.NAME.vertex.promotion-alias}, {@code champion}): GetModel on {@code MODEL@alias}
 * finds the version that has it; MergeVersionAliases removes it there ({@code -champion}) and adds it to
 * the new version. A resend finds the alias on the new version already and sends nothing. The report's
 * {@code model} is the version's resource name, {@code projects/P/locations/L/models/M@VERSION}; the region
 * of the client is L.
 */
@ApplicationScoped
public class VertexPromoter implements ModelPromoter {
    private static final Logger LOG = Logger.getLogger(VertexPromoter.class);
    /** MergeVersionAliasesRequest: an alias is [a-z][a-zA-Z0-9-]{0,126}[a-z-0-9]. */
    static final Pattern ALIAS = Pattern.compile("[a-z][a-zA-Z0-9-]{0,126}[a-z0-9-]");
    static final Pattern MODEL_VERSION = Pattern.compile("(projects/[^/]+/locations/([^/]+)/models/[^/@]+)@(\\d+)");

    private final Function<String, ModelServiceClient> clients;

    @Inject
    public VertexPromoter(GcpClients.VertexModelClients clients) {
        this((Function<String, ModelServiceClient>) clients);
    }

    /** @param clients the ModelService client of a region */
    public VertexPromoter(Function<String, ModelServiceClient> clients) {
        this.clients = clients;
    }

    @Override
    public String target() {
        return VertexLauncher.TARGET;
    }

    @Override
    public Map<String, String> promote(PipelineSettings pipeline, Decision decision, EvaluationReport report) {
        Matcher m = report.model() == null ? null : MODEL_VERSION.matcher(report.model());
        if (m == null || !m.matches()) {
            throw new LaunchRejectedException("the report's model '" + report.model() + "' is not a Vertex AI model version"
                    + " (projects/PROJECT/locations/REGION/models/MODEL@VERSION)", null);
        }
        String model = m.group(1);
        String version = m.group(3);
        String alias = pipeline.vertex().promotionAlias();
        ModelServiceClient client;
        try {
            client = clients.apply(m.group(2));
        } catch (RuntimeException e) {
            throw new RetryableLaunchException("Vertex AI ModelService client for " + m.group(2) + " unavailable: " + e.getMessage(), e);
        }
        Map<String, String> sent = new LinkedHashMap<>();
        try {
            Optional<String> holder = versionWith(client, model, alias);
            if (holder.filter(version::equals).isPresent()) {
                sent.put(model + "@" + version, alias + " (had it already)");
                return sent;
            }
            if (holder.isPresent()) {
                client.mergeVersionAliases(MergeVersionAliasesRequest.newBuilder().setName(model + "@" + holder.get())
                        .addAllVersionAliases(List.of("-" + alias)).build());
                sent.put(model + "@" + holder.get(), "-" + alias);
            }
            client.mergeVersionAliases(MergeVersionAliasesRequest.newBuilder().setName(model + "@" + version)
                    .addAllVersionAliases(List.of(alias)).build());
            sent.put(model + "@" + version, alias);
        } catch (ApiException e) {
            throw VertexLauncher.classify("Vertex AI Model Registry", e);
        }
        LOG.infof("vertex: alias %s now on %s@%s (decision %s)", alias, model, version, decision.id());
        return sent;
    }

    /** The version that has {@code alias}, when one has. */
    private static Optional<String> versionWith(ModelServiceClient client, String model, String alias) {
        try {
            Model holder = client.getModel(model + "@" + alias);
            return holder.getVersionId().isEmpty() ? Optional.empty() : Optional.of(holder.getVersionId());
        } catch (ApiException e) {
            if (e.getStatusCode().getCode() == StatusCode.Code.NOT_FOUND) return Optional.empty();
            throw e;
        }
    }
}
