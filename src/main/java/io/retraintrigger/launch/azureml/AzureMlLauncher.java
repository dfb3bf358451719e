package io.retraintrigger.launch.azureml;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retraintrigger.config.AzureConfig;
import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.launch.DataManifest;
import io.retraintrigger.launch.LaunchInputs;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.ManifestStore;
import io.retraintrigger.launch.PipelineLauncher;
import io.retraintrigger.launch.RetryableLaunchException;
import io.retraintrigger.launch.Submission;
import io.retraintrigger.model.Decision;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Submits an Azure Machine Learning pipeline job (REST API "Jobs - Create Or Update", API version
 * {@code retrain.azure.ml-api-version}, 2024-04-01 by default) for a LAUNCHED decision:
 * {@code PUT {resource-manager-endpoint}/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}/jobs/{job name}?api-version=...}
 * with a {@code PipelineJob} body that runs the registered pipeline component of
 * {@code retrain.pipelines.NAME.azureml.component-id}. Not the retired v1 published-pipeline API.
 *
 * <ul>
 * <li>Job name: the decision id when it keeps to Azure ML's rule for job names
 * ({@value #JOB_NAME_RULE}, as the coordinator's {@code dec-<uuid>} does), else {@code retrain-<SHA-256 of
 * the decision id>}. A job's name is its run id, so it is also the execution id returned and the
 * {@code runId} of the workspace's Event Grid RunStatusChanged / RunCompleted events.</li>
 * <li>Exactly once: a resent launch PUTs the same body to the same name. Azure answers 201 when it
 * creates the job and 200 when the job exists (an update: only tags and description are mutable); both
 * count as launched. A 409, or a 400 that turns out to be about a job that already exists (the job is
 * read back with GET), also counts as launched: the name belongs to this decision alone.</li>
 * <li>Body: {@code jobType Pipeline}, {@code componentId} (ARM id of the component version:
 * {@code azureml:<name>:<version>} is resolved in the workspace, an ARM id or an
 * {@code azureml://registries/...} id is sent as it is), {@code experimentName} ({@code experiment-name},
 * else the pipeline's name), {@code displayName} {@code <pipeline>-<trigger type>-<sequence>}, a
 * description, tags naming the decision, and {@code settings.default_compute} (ARM id of {@code compute})
 * when set.</li>
 * <li>Inputs: {@link #SENT} present in the launch's parameters, each a literal input ({@code jobInputType
 * literal}, a string value) renamed by {@code parameter-names.<ours>=<the pipeline's input>}; a name mapped
 * to {@code -} is not sent. The pipeline component must declare every input it receives.</li>
 * <li>Data: with DataPaths goes {@value #DATA_MANIFEST}. {@code false}: DataPaths is the comma-separated
 * URIs. {@code true}: they were longer than {@value #MAX_INLINE_VALUE} characters, so they were written as a
 * JSON manifest {@code {"decisionId","pipeline","uris":[...],"count","totalBytes"}} to
 * {@code <manifest-blob-uri>/manifests/<decision id>.json} (Blob REST API Put Blob, same credential with
 * the Storage scope) and DataPaths is that blob's URL. Azure ML documents no limit for a literal input's
 * value; {@value #MAX_INLINE_VALUE} characters is the limit it documents for run property and tag values,
 * kept here for every literal: other values above it are cut, and the cut logged.</li>
 * <li>HTTP: azure-core's pipeline ({@link AzureRest}): a bearer token of {@code @Named("azureCredential")}
 * {@link TokenCredential} for {@value #ARM_SCOPE} (jobs) and {@value #STORAGE_SCOPE} (manifests), cached and
 * refreshed by azure-core, fetched again on a 401 challenge; 408, 429 and 5xx sent again at most
 * {@value #MAX_ATTEMPTS} attempts in all, but only when Azure says when and that is at most
 * {@link #MAX_RETRY_AFTER}.</li>
 * <li>Errors: a retryable status left after that, a 401, network failures and a credential that cannot
 * give a token raise {@link RetryableLaunchException} (the launch route retries with backoff, then the
 * resend timer). Anything else Azure refuses (400 validation errors, 403, 404 ...) raises
 * {@link LaunchRejectedException} with Azure's {@code error.code: error.message}.</li>
 * </ul>
 */
@ApplicationScoped
public class AzureMlLauncher implements PipelineLauncher {
    private static final Logger LOG = Logger.getLogger(AzureMlLauncher.class);

    public static final String TARGET = "azureml";
    /** Sent with DataPaths: whether DataPaths is the URL of a manifest blob rather than the URIs themselves. */
    public static final String DATA_MANIFEST = LaunchInputs.DATA_MANIFEST;
    /** A parameter name mapped to this is not sent. */
    public static final String OMIT = LaunchInputs.OMIT;

    /** The parameters passed to the pipeline job as literal inputs, by their canonical names, in this order. */
    public static final List<String> SENT = LaunchInputs.SENT;

    public static final String ARM_SCOPE = "https://management.azure.com/.default";
    public static final String STORAGE_SCOPE = "https://storage.azure.com/.default";
    /** Blob service version of the manifest upload (bearer tokens need 2017-11-09 or later). */
    public static final String BLOB_SERVICE_VERSION = "2024-11-04";

    /** Longest literal input value sent inline (see the class comment). */
    public static final int MAX_INLINE_VALUE = 1000;
    /** Azure ML service limits: a run's DisplayName is at most 256 characters, its Description 5,000. */
    public static final int MAX_DISPLAY_NAME = 256;
    public static final int MAX_DESCRIPTION = 5000;

    public static final String JOB_NAME_RULE = "1 to 255 of A-Z a-z 0-9 - _, starting with a letter or digit";
    /** workspaces/jobs resource name (2024-04-01): {@code ^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$}. */
    public static final Pattern JOB_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254}");
    /** Jobs - Create Or Update, workspaceName: {@code ^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$}. */
    public static final Pattern WORKSPACE_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}");
    /** Resource group names: 1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'. */
    public static final Pattern RESOURCE_GROUP = Pattern.compile("[-\\p{L}\\p{N}._()]{0,89}[-\\p{L}\\p{N}_()]");
    public static final Pattern SUBSCRIPTION_ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** A pipeline input name: an identifier, as Azure ML components declare them. */
    public static final Pattern INPUT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    /** azureml:name:version or name:version of a component in the workspace. */
    public static final Pattern COMPONENT_IN_WORKSPACE = Pattern.compile("(?:azureml:)?([a-zA-Z0-9][a-zA-Z0-9\\-_.]{0,254}):([a-zA-Z0-9][a-zA-Z0-9\\-_.]{0,127})");
    /** ARM id of a component version, in a workspace or a registry. */
    public static final Pattern COMPONENT_ARM_ID = Pattern.compile(
            "/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.MachineLearningServices/(?:workspaces|registries)/[^/]+/components/[^/]+/versions/[^/]+",
            Pattern.CASE_INSENSITIVE);
    /** A component version of an Azure ML registry. */
    public static final Pattern COMPONENT_IN_REGISTRY = Pattern.compile("azureml://registries/[^/]+/components/[^/]+/versions/[^/]+");
    /** azureml:name or name of a compute of the workspace. */
    public static final Pattern COMPUTE_IN_WORKSPACE = Pattern.compile("(?:azureml:)?([a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254})");
    public static final Pattern COMPUTE_ARM_ID = Pattern.compile(
            "/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.MachineLearningServices/workspaces/[^/]+/computes/[^/]+",
            Pattern.CASE_INSENSITIVE);
    /** https://account.blob.core.windows.net/container[/prefix] (http and any host for emulators). */
    public static final Pattern BLOB_URI = Pattern.compile("https?://[^/?#\\s]+/[^/?#\\s]+(?:/[^?#\\s]*)?");

    public static final int MAX_ATTEMPTS = 3;
    /** Longest Retry-After waited for in-process; longer ones go back to the launch route. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** What a pipeline's azureml.* keys say. */
    public record Target(String subscriptionId, String resourceGroup, String workspace, String componentId,
                         Optional<String> experimentName, Optional<String> compute, Map<String, String> parameterNames,
                         Optional<String> manifestBlobUri) {
        public Target {
            experimentName = experimentName == null ? Optional.empty() : experimentName;
            compute = compute == null ? Optional.empty() : compute;
            parameterNames = parameterNames == null ? Map.of() : Map.copyOf(parameterNames);
            manifestBlobUri = manifestBlobUri == null ? Optional.empty() : manifestBlobUri;
        }
    }

    private final AzureRest rest;
    private final ManifestStore manifests;
    private final String armEndpoint;
    private final String apiVersion;
    private final Function<PipelineSettings, Optional<Target>> targets;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public AzureMlLauncher(@Named("azureCredential") TokenCredential credential, AzureConfig azure) {
        this(credential, defaultHttpClient(), azure.resourceManagerEndpoint(), azure.mlApiVersion(), p -> targetOf(p.azureMl()));
    }

    /**
     * @param http        azure-core's HTTP client under the pipeline
     * @param armEndpoint the Resource Manager endpoint (https://management.azure.com, or a test server)
     * @param targets     the azureml settings of a pipeline
     */
    public AzureMlLauncher(TokenCredential credential, HttpClient http, String armEndpoint, String apiVersion,
                           Function<PipelineSettings, Optional<Target>> targets) {
        this.rest = new AzureRest(credential, http, MAX_ATTEMPTS, MAX_RETRY_AFTER);
        this.manifests = new BlobManifests(rest);
        this.armEndpoint = armEndpoint.replaceAll("/+$", "");
        this.apiVersion = apiVersion;
        this.targets = targets;
    }

    /** azure-core's default HTTP client with this launcher's timeouts (no redirects are followed: the pipeline has no redirect policy). */
    public static HttpClient defaultHttpClient() {
        return AzureRest.defaultHttpClient(CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    }

    /** The settings of an azureml pipeline, when its four required keys are set. */
    public static Optional<Target> targetOf(RetrainConfig.Pipeline.AzureMl az) {
        if (blank(az.subscriptionId()) || blank(az.resourceGroup()) || blank(az.workspace()) || blank(az.componentId())) {
            return Optional.empty();
        }
        return Optional.of(new Target(az.subscriptionId().get().trim(), az.resourceGroup().get().trim(), az.workspace().get().trim(),
                az.componentId().get().trim(), az.experimentName().filter(s -> !s.isBlank()), az.compute().filter(s -> !s.isBlank()),
                az.parameterNames(), az.manifestBlobUri().filter(s -> !s.isBlank())));
    }

    /**
     * Startup validation of a pipeline's azureml.* keys: a pipeline of
     * target azureml names its subscription, resource group, workspace and pipeline component; the values
     * given keep to Azure's formats; parameter renames name a parameter that is sent and an input name; a
     * manifest location is a Blob Storage URL.
     *
     * @param key    retrain.pipelines.NAME
     * @throws ConfigurationError naming the key at fault
     */
    public static void check(String key, String target, RetrainConfig.Pipeline.AzureMl az) {
        String k = key + ".azureml.";
        if (TARGET.equals(target)) {
            require(!blank(az.subscriptionId()), k + "subscription-id", "required with target azureml: the id of the subscription of the Azure ML workspace");
            require(!blank(az.resourceGroup()), k + "resource-group", "required with target azureml: the resource group of the Azure ML workspace");
            require(!blank(az.workspace()), k + "workspace", "required with target azureml: the name of the Azure ML workspace");
            require(!blank(az.componentId()), k + "component-id", "required with target azureml: the pipeline component to run, azureml:<name>:<version>");
        }
        given(az.subscriptionId()).ifPresent(v -> require(SUBSCRIPTION_ID.matcher(v).matches(),
                k + "subscription-id", "'" + v + "' is not a subscription id (a GUID)"));
        given(az.resourceGroup()).ifPresent(v -> require(RESOURCE_GROUP.matcher(v).matches(),
                k + "resource-group", "'" + v + "' is not a resource group name (1-90 letters, digits, _ - . ( ), not ending with '.')"));
        given(az.workspace()).ifPresent(v -> require(WORKSPACE_NAME.matcher(v).matches(),
                k + "workspace", "'" + v + "' is not an Azure ML workspace name (3-33 of A-Z a-z 0-9 _ -, starting with a letter or digit)"));
        given(az.componentId()).ifPresent(v -> require(COMPONENT_IN_WORKSPACE.matcher(v).matches()
                        || COMPONENT_ARM_ID.matcher(v).matches() || COMPONENT_IN_REGISTRY.matcher(v).matches(),
                k + "component-id", "'" + v + "' is not azureml:<name>:<version> (a version is required), the ARM id of a component version,"
                        + " or azureml://registries/<registry>/components/<name>/versions/<version>"));
        given(az.compute()).ifPresent(v -> require(COMPUTE_IN_WORKSPACE.matcher(v).matches() || COMPUTE_ARM_ID.matcher(v).matches(),
                k + "compute", "'" + v + "' is not azureml:<compute name>, a compute name or the ARM id of a compute"));
        for (var r : az.parameterNames().entrySet()) {
            String pk = k + "parameter-names." + r.getKey();
            require(SENT.contains(r.getKey()), pk, "not a parameter that is sent; one of " + SENT);
            require(OMIT.equals(r.getValue()) || INPUT_NAME.matcher(r.getValue()).matches(), pk,
                    "'" + r.getValue() + "' is not a pipeline input name (a letter or _, then letters, digits, _), nor '-' (not sent)");
        }
        given(az.manifestBlobUri()).ifPresent(v -> require(BLOB_URI.matcher(v).matches(),
                k + "manifest-blob-uri", "'" + v + "' is not an https://<account>.blob.core.windows.net/<container>[/<prefix>] URL"));
    }

    private static Optional<String> given(Optional<String> value) {
        return value.map(String::trim).filter(v -> !v.isEmpty());
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) throw new ConfigurationError(key, message);
    }

    private static boolean blank(Optional<String> s) {
        return s.filter(v -> !v.isBlank()).isEmpty();
    }

    @Override
    public String target() {
        return TARGET;
    }

    @Override
    public void check(PipelineSettings pipeline) {
        check(pipeline.key(), pipeline.target(), pipeline.azureMl());
    }

    @Override
    public Submission launch(PipelineSettings pipeline, Decision decision) {
        Target target = targets.apply(pipeline).orElseThrow(() -> new LaunchRejectedException(
                "retrain.pipelines." + pipeline.name() + ".azureml.subscription-id, resource-group, workspace and component-id must be set", null));
        String jobName = jobName(decision.id());
        Map<String, String> inputs = inputs(target, pipeline.name(), decision);
        byte[] body = write(jobBody(target, pipeline.name(), decision, inputs));
        URI uri = jobUri(target, jobName);

        AzureRest.Answer r = rest.send("Azure ML", ARM_SCOPE, HttpMethod.PUT, uri.toString(),
                Map.of("Content-Type", "application/json", "Accept", "application/json"), body);
        int status = r.status();
        if (status == 200 || status == 201) {
            String name = textAt(r.body(), "name").orElse(jobName);
            LOG.infof("azureml: %s pipeline job %s for decision %s (%s)", status == 201 ? "created" : "found", name, decision.id(),
                    textAt(r.body(), "id").orElse(uri.getPath()));
            return new Submission(name, inputs);
        }
        if (status == 409 || status == 400) {
            // A resend of a job Azure already has: the name is this decision's alone, so its existence is the launch.
            Optional<String> existing = existingJob(uri, r);
            if (existing.isPresent()) {
                LOG.infof("azureml: pipeline job %s of decision %s already exists (PUT answered %d): launched", existing.get(), decision.id(), status);
                return new Submission(existing.get(), inputs);
            }
        }
        throw AzureRest.refusal("Azure ML", r);
    }

    /**
     * Reads the job back after a PUT answered 400 or 409: its name when it exists, empty when Azure says it
     * does not (404). When it cannot be read (throttled, unavailable, network), the launch is retryable rather
     * than failed: a job that runs must not be recorded as a failed launch.
     */
    private Optional<String> existingJob(URI uri, AzureRest.Answer put) {
        AzureRest.Answer r = rest.send("Azure ML", ARM_SCOPE, HttpMethod.GET, uri.toString(), Map.of("Accept", "application/json"), null);
        if (r.status() == 200) {
            return Optional.of(textAt(r.body(), "name").orElse(lastSegment(uri)));
        }
        if (r.status() == 404) {
            if (put.status() == 409) {
                throw new RetryableLaunchException("Azure ML answered 409 to PUT job " + lastSegment(uri) + " but GET finds no such job; trying again later", null);
            }
            return Optional.empty();
        }
        RuntimeException unread = AzureRest.refusal("Azure ML", r);
        throw new RetryableLaunchException("Azure ML answered " + put.status() + " to PUT job " + lastSegment(uri)
                + ", and whether the job exists could not be read: " + unread.getMessage(), unread);
    }

    /** The PipelineJob resource sent (the request is the same every time for one decision). */
    ObjectNode jobBody(Target target, String pipeline, Decision decision, Map<String, String> literalInputs) {
        ObjectNode root = json.createObjectNode();
        ObjectNode p = root.putObject("properties");
        p.put("jobType", "Pipeline");
        p.put("displayName", displayName(pipeline, decision));
        p.put("description", description(decision));
        p.put("experimentName", target.experimentName().orElse(pipeline));
        p.put("componentId", componentId(target));
        ObjectNode tags = p.putObject("tags");
        tags.put("retrain-trigger.decision-id", decision.id());
        tags.put("retrain-trigger.pipeline", pipeline);
        if (decision.triggerType() != null) tags.put("retrain-trigger.trigger-type", decision.triggerType().name());
        tags.put("retrain-trigger.sequence", Long.toString(decision.launch().sequence()));
        ObjectNode inputs = p.putObject("inputs");
        literalInputs.forEach((name, value) -> {
            ObjectNode in = inputs.putObject(name);
            in.put("jobInputType", "literal");
            in.put("value", value);
        });
        target.compute().ifPresent(c -> p.putObject("settings").put("default_compute", computeId(target)));
        return root;
    }

    /** The literal inputs of a decision, renamed, the data passed inline or by manifest. */
    Map<String, String> inputs(Target target, String pipeline, Decision decision) {
        List<String> sent = LaunchInputs.withStatic(SENT, decision.launch().parameters());
        Map<String, String> values = LaunchInputs.select(sent, decision.launch().parameters(), MAX_INLINE_VALUE,
                paths -> writeManifest(target, pipeline, decision, paths),
                (name, length) -> LOG.warnf("azureml: input %s of decision %s is %d characters; cut to %d",
                        name, decision.id(), length, MAX_INLINE_VALUE));
        return LaunchInputs.renamed(sent, values, target.parameterNames());
    }

    /** Writes the manifest of the decision's data (same blob on a resend: idempotent) and returns its URL. */
    String writeManifest(Target target, String pipeline, Decision decision, String dataPaths) {
        String base = target.manifestBlobUri().orElseThrow(() -> new LaunchRejectedException(
                "DataPaths is " + dataPaths.length() + " characters, over the " + MAX_INLINE_VALUE
                        + "-character limit of an inline input; set retrain.pipelines." + pipeline
                        + ".azureml.manifest-blob-uri to pass the data as a manifest", null));
        return DataManifest.write(manifests, base, decision, pipeline, dataPaths);
    }

    // ---- names and ids ----

    URI jobUri(Target t, String jobName) {
        return URI.create(armEndpoint + workspacePath(t) + "/jobs/" + segment(jobName) + "?api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8));
    }

    static String workspacePath(Target t) {
        return "/subscriptions/" + segment(t.subscriptionId()) + "/resourceGroups/" + segment(t.resourceGroup())
                + "/providers/Microsoft.MachineLearningServices/workspaces/" + segment(t.workspace());
    }

    /** The componentId sent: the ARM id of the configured component version. */
    public static String componentId(Target t) {
        String c = t.componentId();
        if (COMPONENT_ARM_ID.matcher(c).matches() || COMPONENT_IN_REGISTRY.matcher(c).matches()) return c;
        Matcher m = COMPONENT_IN_WORKSPACE.matcher(c);
        if (!m.matches()) {
            throw new LaunchRejectedException("component-id '" + c + "' is not azureml:<name>:<version>, an ARM id or azureml://registries/<registry>/components/<name>/versions/<version>", null);
        }
        return workspacePath(t) + "/components/" + segment(m.group(1)) + "/versions/" + segment(m.group(2));
    }

    /** The default_compute sent: the ARM id of the configured compute. */
    public static String computeId(Target t) {
        String c = t.compute().orElseThrow();
        if (COMPUTE_ARM_ID.matcher(c).matches()) return c;
        Matcher m = COMPUTE_IN_WORKSPACE.matcher(c);
        if (!m.matches()) throw new LaunchRejectedException("compute '" + c + "' is not azureml:<compute name>, a compute name or an ARM id", null);
        return workspacePath(t) + "/computes/" + segment(m.group(1));
    }

    /** The decision id when it is a valid job name, else {@code retrain-<SHA-256 of it, hex>}: stable either way. */
    public static String jobName(String decisionId) {
        if (JOB_NAME.matcher(decisionId).matches()) return decisionId;
        return "retrain-" + LaunchInputs.sha256Hex(decisionId);
    }

    /** {@code <pipeline>-<trigger type>-<sequence>}, e.g. {@code fraud-drift-7}. */
    public static String displayName(String pipeline, Decision decision) {
        String name = pipeline + "-" + LaunchInputs.triggerSlug(decision) + "-" + decision.launch().sequence();
        return name.length() <= MAX_DISPLAY_NAME ? name : name.substring(name.length() - MAX_DISPLAY_NAME);
    }

    private static String description(Decision decision) {
        return LaunchInputs.description(decision, MAX_DESCRIPTION);
    }

    /** One URL path segment, percent-encoded. */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String lastSegment(URI uri) {
        String p = uri.getPath();
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private Optional<String> textAt(String body, String field) {
        try {
            JsonNode n = json.readTree(body == null || body.isBlank() ? "{}" : body).path(field);
            return n.isTextual() && !n.asText().isBlank() ? Optional.of(n.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private byte[] write(Object o) {
        try {
            return json.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
