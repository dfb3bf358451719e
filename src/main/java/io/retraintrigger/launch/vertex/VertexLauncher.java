package io.retraintrigger.launch.vertex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.aiplatform.v1.CreatePipelineJobRequest;
import com.google.cloud.aiplatform.v1.PipelineJob;
import com.google.cloud.aiplatform.v1.PipelineServiceClient;
import com.google.cloud.storage.Storage;
import com.google.protobuf.Value;
import io.grpc.StatusRuntimeException;
import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.GcpConfig;
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
import io.retraintrigger.model.LaunchParameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Creates a Vertex AI pipeline run (PipelineService.CreatePipelineJob) for a LAUNCHED decision.
 *
 * <ul>
 * <li>parent {@code projects/<project>/locations/<region>}: {@code retrain.pipelines.NAME.vertex.project}
 * (else {@code retrain.gcp.project-id}) and {@code .vertex.region}; the client talks to
 * {@code <region>-aiplatform.googleapis.com:443}.</li>
 * <li>pipelineJobId: the decision id, which is the idempotency key: a resent launch is answered
 * ALREADY_EXISTS, taken as launched, and the existing job's name is returned (GetPipelineJob, so the
 * name is the one Vertex gives, with the project number). Vertex takes {@code [a-z][-a-z0-9]*} of less
 * than 128 characters; a decision id outside that (ours are {@code dec-<uuid>}, inside) is mapped to
 * a cleaned prefix plus 16 hex of its SHA-256, just as stable.</li>
 * <li>displayName {@code <pipeline>-<trigger type>-<sequence>} (e.g. {@code fraud-drift-7});
 * templateUri {@code .vertex.template-uri}, an Artifact Registry {@code https://<region>-kfp.pkg.dev/...}
 * URI (the only kind PipelineJob.templateUri takes; Vertex downloads the pipeline spec from it);
 * runtimeConfig.gcsOutputDirectory {@code .vertex.pipeline-root}; serviceAccount
 * {@code .vertex.service-account} when set; labels {@code pipeline} and {@code trigger-type}
 * (e.g. {@code data_arrival}).</li>
 * <li>runtimeConfig.parameterValues (KFP v2 pipelines, schema 2.1.0): {@link #SENT}, those present in the
 * launch's parameters, typed ({@link Kind}: strings, numbers, booleans as the pipeline declares them),
 * each renamed by {@code .vertex.parameter-names.<ours>=<the pipeline's>}; a name mapped to {@code -} is
 * not sent. Vertex refuses a parameter that the pipeline does not declare, so the pipeline declares
 * every one it receives (with a default for those not always present).</li>
 * <li>Data: with DataPaths goes {@value #DATA_MANIFEST}. {@code false}: DataPaths is the comma-separated
 * object URIs. {@code true}: they were over {@value #MAX_INLINE_DATA_PATHS} characters, so they were written
 * as a JSON manifest {@code {"decisionId","pipeline","uris":[...],"count","totalBytes"}} to
 * {@code <vertex.manifest-gcs-uri>/manifests/<decision id>.json} (Cloud Storage; the same object on a
 * resend), and DataPaths is that object's gs:// URI: the contract of the SageMaker and Azure ML launchers.
 * A pipeline without {@code vertex.manifest-gcs-uri} gets such a list as a JSON array of the URIs instead
 * (a string starting with {@code [}), with DataManifest=false (see {@link #MAX_INLINE_DATA_PATHS}).</li>
 * </ul>
 * UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, ABORTED, INTERNAL, UNKNOWN and CANCELLED raise
 * {@link RetryableLaunchException} (the same pipelineJobId makes a retry safe); any other refusal
 * (INVALID_ARGUMENT, FAILED_PRECONDITION, NOT_FOUND, PERMISSION_DENIED ...) raises
 * {@link LaunchRejectedException} with Vertex's message. The manifest upload likewise: 408, 429, 5xx and
 * network failures are retryable, any other refusal (403, 404 ...) is final; nothing is sent to Vertex
 * before the manifest is written. The execution id is the PipelineJob's name.
 */
@ApplicationScoped
public class VertexLauncher implements PipelineLauncher {
    private static final Logger LOG = Logger.getLogger(VertexLauncher.class);

    public static final String TARGET = "vertex";
    /** Sent with DataPaths: whether DataPaths is the gs:// URI of a manifest rather than the URIs themselves. */
    public static final String DATA_MANIFEST = LaunchInputs.DATA_MANIFEST;
    /** A parameter name mapped to this is not sent. */
    public static final String OMIT = LaunchInputs.OMIT;

    /** How a parameter is passed in runtimeConfig.parameterValues (a google.protobuf.Value). */
    public enum Kind { STRING, NUMBER, BOOL }

    /** The parameters passed to the pipeline, by their canonical names, with their types. */
    public static final Map<String, Kind> SENT = sent();

    private static Map<String, Kind> sent() {
        Map<String, Kind> m = new LinkedHashMap<>();
        m.put(LaunchParameters.TRIGGER_TYPE, Kind.STRING);
        m.put(LaunchParameters.TRIGGER_REASON, Kind.STRING);
        m.put(LaunchParameters.PRIORITY, Kind.NUMBER);
        m.put(LaunchParameters.TRAINING_SEQUENCE, Kind.NUMBER);
        m.put(LaunchParameters.REQUIRE_APPROVAL, Kind.BOOL);
        m.put(LaunchParameters.EVENT_COUNT, Kind.NUMBER);
        m.put(LaunchParameters.DRIFT_SEVERITY, Kind.STRING);
        m.put(LaunchParameters.DRIFT_SCORE, Kind.NUMBER);
        m.put(LaunchParameters.DRIFTED_FEATURES, Kind.STRING);
        m.put(LaunchParameters.DATA_PATHS, Kind.STRING);
        m.put(LaunchParameters.DATA_SIZE_BYTES, Kind.NUMBER);
        m.put(DATA_MANIFEST, Kind.BOOL);
        m.put(LaunchParameters.GOLDEN_SET_URI, Kind.STRING);
        m.put(LaunchParameters.BASELINE_HOLDOUT_URI, Kind.STRING);
        m.put(LaunchParameters.HOLDOUT_FRACTION, Kind.NUMBER);
        m.put(LaunchParameters.PRODUCTION_FRACTION, Kind.NUMBER);
        return Collections.unmodifiableMap(m);
    }

    /**
     * DataPaths longer than this (characters) are not passed as a comma-separated list. Vertex documents
     * no limit on a parameter value; the limit that bites is downstream: KFP v2 hands each task its
     * inputs in {@code --executor_input}, one command-line argument, and Linux caps one argument at
     * MAX_ARG_STRLEN = 131072 bytes (execve(2)). That JSON also carries the task's other inputs and
     * outputs, and escapes quotes, so a list is kept at a quarter of it. Beyond it the list is a manifest
     * in Cloud Storage (&lt;manifest-gcs-uri&gt;/manifests/&lt;decision id&gt;.json); a pipeline without
     * manifest-gcs-uri gets the whole list as a JSON array string, and must not hand it whole to a single task.
     */
    public static final int MAX_INLINE_DATA_PATHS = 32_768;
    /** CreatePipelineJobRequest.pipeline_job_id: less than 128 characters of {@code [a-z][-a-z0-9]*}. */
    public static final Pattern PIPELINE_JOB_ID = Pattern.compile("[a-z][-a-z0-9]{0,126}");
    /** PipelineJob.display_name: up to 128 characters. */
    public static final int MAX_DISPLAY_NAME = 128;
    /** Label values: at most 63 characters of lowercase letters, digits, '_' and '-'. */
    public static final int MAX_LABEL_VALUE = 63;
    /** KFP v2 pipeline parameters are the pipeline function's Python parameters. */
    public static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");
    /** Artifact Registry Kubeflow Pipelines template: https://REGION-kfp.pkg.dev/PROJECT/REPO/PACKAGE/TAG-or-sha256:DIGEST. */
    public static final Pattern TEMPLATE_URI = Pattern.compile("https://[a-z0-9-]+-kfp\\.pkg\\.dev/[^/\\s]+/[^/\\s]+/[^/\\s]+/[^/\\s]+");
    /** gs://bucket or gs://bucket/prefix. */
    public static final Pattern GCS_URI = Pattern.compile("gs://[a-z0-9][a-z0-9._-]{1,221}[a-z0-9](/\\S*)?");
    /** {@link #GCS_URI}, bucket and prefix apart. */
    static final Pattern GCS_LOCATION = Pattern.compile("gs://([a-z0-9][a-z0-9._-]{1,221}[a-z0-9])(?:/(\\S*))?");
    /** A project id (6-30 of a-z 0-9 -, from a letter, not ending with -), optionally domain-scoped, or a project number. */
    public static final Pattern PROJECT = Pattern.compile("([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]{1,20}");
    /** A region goes into the host name: europe-west4, us-central1 ... */
    public static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{0,61}[a-z0-9]");
    public static final Pattern SERVICE_ACCOUNT = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private static final Set<StatusCode.Code> RETRYABLE = Set.of(
            StatusCode.Code.UNAVAILABLE, StatusCode.Code.RESOURCE_EXHAUSTED, StatusCode.Code.DEADLINE_EXCEEDED,
            StatusCode.Code.ABORTED, StatusCode.Code.INTERNAL, StatusCode.Code.UNKNOWN, StatusCode.Code.CANCELLED);

    /** What a pipeline's vertex.* keys (and retrain.gcp.project-id) say. */
    public record Target(String project, String region, String templateUri, String pipelineRoot,
                         Optional<String> serviceAccount, Map<String, String> parameterNames, Optional<String> manifestGcsUri) {
        public Target {
            serviceAccount = serviceAccount == null ? Optional.empty() : serviceAccount;
            parameterNames = parameterNames == null ? Map.of() : Map.copyOf(parameterNames);
            manifestGcsUri = manifestGcsUri == null ? Optional.empty() : manifestGcsUri.filter(u -> !u.isBlank());
        }

        /** Without a manifest location. */
        public Target(String project, String region, String templateUri, String pipelineRoot,
                      Optional<String> serviceAccount, Map<String, String> parameterNames) {
            this(project, region, templateUri, pipelineRoot, serviceAccount, parameterNames, Optional.empty());
        }

        public String parent() {
            return "projects/" + project + "/locations/" + region;
        }
    }

    private final Function<String, PipelineServiceClient> clients;
    private final ManifestStore manifests;
    private final Function<PipelineSettings, Optional<Target>> targets;
    /** retrain.gcp.project-id, the project of vertex pipelines that name none */
    private final Optional<String> defaultProject;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public VertexLauncher(GcpClients.VertexPipelineClients clients, GcpClients.GcsStorage storage, GcpConfig gcp) {
        this(clients, storage, p -> target(p.vertex(), gcp.projectId()), gcp.projectId());
    }

    /**
     * @param clients a PipelineService client by region
     * @param storage the Cloud Storage client (manifests), made when first needed
     * @param targets the vertex settings of a pipeline
     */
    VertexLauncher(Function<String, PipelineServiceClient> clients, Supplier<Storage> storage, Function<PipelineSettings, Optional<Target>> targets) {
        this(clients, storage, targets, Optional.empty());
    }

    private VertexLauncher(Function<String, PipelineServiceClient> clients, Supplier<Storage> storage, Function<PipelineSettings, Optional<Target>> targets,
                           Optional<String> defaultProject) {
        this.clients = clients;
        this.manifests = new GcsManifests(storage);
        this.targets = targets;
        this.defaultProject = defaultProject;
    }

    /** Without Cloud Storage: for targets without a manifest location. */
    VertexLauncher(Function<String, PipelineServiceClient> clients, Function<PipelineSettings, Optional<Target>> targets) {
        this(clients, () -> {
            throw new IllegalStateException("no Cloud Storage client");
        }, targets);
    }

    /** The target of complete settings (checked at startup by {@link #check}); empty when one is missing. */
    static Optional<Target> target(RetrainConfig.Pipeline.Vertex v, Optional<String> defaultProject) {
        Optional<String> project = v.project().or(() -> defaultProject);
        if (project.isEmpty() || v.region().isEmpty() || v.templateUri().isEmpty() || v.pipelineRoot().isEmpty()) return Optional.empty();
        return Optional.of(new Target(project.get(), v.region().get(), v.templateUri().get(), v.pipelineRoot().get(),
                v.serviceAccount(), v.parameterNames(), v.manifestGcsUri()));
    }

    @Override
    public String target() {
        return TARGET;
    }

    @Override
    public void check(PipelineSettings pipeline) {
        check(pipeline.key(), pipeline.target(), pipeline.vertex(), defaultProject);
    }

    @Override
    public Submission launch(PipelineSettings pipeline, Decision decision) {
        Target target = targets.apply(pipeline).orElseThrow(() -> new LaunchRejectedException(
                "retrain.pipelines." + pipeline.name() + ".vertex: region, template-uri, pipeline-root and a project"
                        + " (vertex.project or retrain.gcp.project-id) are required", null));
        CreatePipelineJobRequest request = request(target, pipeline.name(), decision);
        String name = target.parent() + "/pipelineJobs/" + request.getPipelineJobId();
        Map<String, String> sent = new LinkedHashMap<>();
        request.getPipelineJob().getRuntimeConfig().getParameterValuesMap().forEach((k, v) -> sent.put(k, text(v)));
        return new Submission(create(target, request, name, decision), sent);
    }

    /** The typed value as the pipeline receives it, in text: a string as it is, a number or a flag in JSON. */
    static String text(Value v) {
        return switch (v.getKindCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case NUMBER_VALUE -> v.getNumberValue() == Math.rint(v.getNumberValue()) && Math.abs(v.getNumberValue()) < 1e15
                    ? Long.toString((long) v.getNumberValue()) : Double.toString(v.getNumberValue());
            default -> v.toString().trim();
        };
    }

    private String create(Target target, CreatePipelineJobRequest request, String name, Decision decision) {
        PipelineServiceClient client;
        try {
            client = clients.apply(target.region());
        } catch (RuntimeException e) {
            throw new RetryableLaunchException("Vertex AI client for " + target.region() + " unavailable: " + e.getMessage(), e);
        }
        try {
            PipelineJob job = client.createPipelineJob(request);
            String created = job.getName().isEmpty() ? name : job.getName();
            LOG.infof("vertex: created %s for decision %s", created, decision.id());
            return created;
        } catch (ApiException e) {
            if (e.getStatusCode().getCode() == StatusCode.Code.ALREADY_EXISTS) {
                return existing(client, name, decision);
            }
            throw classify("Vertex AI", e);
        }
    }

    /** The decision's job was created by an earlier attempt: launched. Its name as Vertex gives it. */
    private String existing(PipelineServiceClient client, String name, Decision decision) {
        try {
            String existing = client.getPipelineJob(name).getName();
            LOG.infof("vertex: %s already exists for decision %s: launched", existing, decision.id());
            return existing.isEmpty() ? name : existing;
        } catch (ApiException e) {
            if (RETRYABLE.contains(e.getStatusCode().getCode())) throw classify("Vertex AI (GetPipelineJob)", e);
            LOG.warnf("vertex: %s already exists for decision %s (launched), but could not be read: %s", name, decision.id(), message(e));
            return name;
        }
    }

    /** The exact request for a decision. */
    CreatePipelineJobRequest request(Target target, String pipeline, Decision decision) {
        PipelineJob.Builder job = PipelineJob.newBuilder()
                .setDisplayName(displayName(pipeline, decision))
                .setTemplateUri(target.templateUri())
                .putAllLabels(labels(pipeline, decision))
                .setRuntimeConfig(PipelineJob.RuntimeConfig.newBuilder()
                        .setGcsOutputDirectory(target.pipelineRoot())
                        .putAllParameterValues(parameterValues(target, pipeline, decision)));
        target.serviceAccount().filter(s -> !s.isBlank()).ifPresent(job::setServiceAccount);
        return CreatePipelineJobRequest.newBuilder()
                .setParent(target.parent())
                .setPipelineJobId(pipelineJobId(decision.id()))
                .setPipelineJob(job)
                .build();
    }

    /** The pipeline parameters of a decision: typed, renamed, the data passed inline or by manifest. */
    Map<String, Value> parameterValues(Target target, String pipeline, Decision decision) {
        Map<String, String> given = new LinkedHashMap<>(decision.launch().parameters());
        given.remove(DATA_MANIFEST);
        String paths = given.get(LaunchParameters.DATA_PATHS);
        if (paths != null) {
            // a pipeline that takes no DataPaths (renamed to '-') gets no manifest written either
            boolean sent = LaunchInputs.isSent(target.parameterNames(), LaunchParameters.DATA_PATHS);
            boolean manifest = sent && LaunchInputs.needsManifest(paths, MAX_INLINE_DATA_PATHS) && target.manifestGcsUri().isPresent();
            if (sent) given.put(LaunchParameters.DATA_PATHS, manifest ? writeManifest(target, pipeline, decision, paths) : dataPaths(decision, paths));
            given.put(DATA_MANIFEST, Boolean.toString(manifest));
        }
        Map<String, Value> out = new LinkedHashMap<>();
        // the pipeline's static parameters go as strings
        LaunchInputs.rename(LaunchInputs.withStatic(List.copyOf(SENT.keySet()), given), given, target.parameterNames(),
                        (name, value) -> typed(name, SENT.getOrDefault(name, Kind.STRING), value, pipeline, decision))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private String dataPaths(Decision decision, String commaSeparated) {
        if (commaSeparated.length() <= MAX_INLINE_DATA_PATHS) return commaSeparated;
        List<String> uris = DataManifest.of(decision, commaSeparated).uris();
        LOG.warnf("vertex: DataPaths of decision %s is %d characters (%d URIs), over %d: passed as a JSON array;"
                        + " set retrain.pipelines.%s.vertex.manifest-gcs-uri to pass a manifest", decision.id(), commaSeparated.length(),
                uris.size(), MAX_INLINE_DATA_PATHS, decision.pipeline());
        try {
            return json.writeValueAsString(uris);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the manifest of the decision's data to {@code <manifest-gcs-uri>/manifests/<decision id>.json}
     * (the same object on a resend: idempotent) and returns its gs:// URI.
     */
    String writeManifest(Target target, String pipeline, Decision decision, String dataPaths) {
        return DataManifest.write(manifests, target.manifestGcsUri().orElseThrow(), decision, pipeline, dataPaths);
    }

    private static Value typed(String name, Kind kind, String value, String pipeline, Decision decision) {
        try {
            return switch (kind) {
                case STRING -> Value.newBuilder().setStringValue(value).build();
                case BOOL -> {
                    if (!value.equals("true") && !value.equals("false")) throw new IllegalArgumentException("not a boolean");
                    yield Value.newBuilder().setBoolValue(Boolean.parseBoolean(value)).build();
                }
                case NUMBER -> {
                    double d = Double.parseDouble(value);
                    if (!Double.isFinite(d)) throw new IllegalArgumentException("not a finite number");
                    yield Value.newBuilder().setNumberValue(d).build();
                }
            };
        } catch (IllegalArgumentException e) {
            throw new LaunchRejectedException("parameter " + name + " of decision " + decision.id() + " (pipeline " + pipeline
                    + ") is '" + value + "', " + (e instanceof NumberFormatException ? "not a number" : e.getMessage()), e);
        }
    }

    /** Retryable: unavailable, throttled, timed out, aborted, internal. Anything else Vertex refuses is final. */
    static RuntimeException classify(String service, ApiException e) {
        StatusCode.Code code = e.getStatusCode().getCode();
        String text = service + " " + code + ": " + message(e);
        return RETRYABLE.contains(code) ? new RetryableLaunchException(text, e) : new LaunchRejectedException(text, e);
    }

    /** The status description Vertex sent, without the exception class names gax puts around it. */
    static String message(ApiException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException s && s.getStatus().getDescription() != null) return s.getStatus().getDescription();
        }
        return e.getMessage();
    }

    /** The decision id when Vertex takes it as a job id; else a cleaned prefix and 16 hex of its SHA-256. */
    public static String pipelineJobId(String decisionId) {
        if (PIPELINE_JOB_ID.matcher(decisionId).matches()) return decisionId;
        String clean = decisionId.toLowerCase(Locale.ROOT).replaceAll("[^-a-z0-9]+", "-").replaceAll("^[^a-z]+|-+$", "");
        String hash = LaunchInputs.sha256Hex(decisionId).substring(0, 16);
        int room = 127 - hash.length() - 1;
        if (clean.length() > room) clean = clean.substring(0, room).replaceAll("-+$", "");
        return (clean.isEmpty() ? "dec" : clean) + "-" + hash;
    }

    /** {@code <pipeline>-<trigger type>-<sequence>}, at most 128 characters. */
    public static String displayName(String pipeline, Decision decision) {
        String suffix = "-" + LaunchInputs.triggerSlug(decision) + "-" + decision.launch().sequence();
        String head = pipeline.length() + suffix.length() > MAX_DISPLAY_NAME ? pipeline.substring(0, MAX_DISPLAY_NAME - suffix.length()) : pipeline;
        return head + suffix;
    }

    /** {@code pipeline} and {@code trigger-type}, fitted to the label rules. */
    public static Map<String, String> labels(String pipeline, Decision decision) {
        Map<String, String> labels = new HashMap<>();
        labels.put("pipeline", labelValue(pipeline));
        if (decision.triggerType() != null) labels.put("trigger-type", labelValue(decision.triggerType().name()));
        return labels;
    }

    /** Lower case; anything but a-z 0-9 _ - becomes '-'; at most 63 characters. */
    public static String labelValue(String s) {
        String v = s.toLowerCase(Locale.ROOT).replaceAll("[^-_a-z0-9]", "-");
        return v.length() <= MAX_LABEL_VALUE ? v : v.substring(0, MAX_LABEL_VALUE);
    }

    /**
     * Startup check of a pipeline's vertex.* keys: with target vertex, region, template-uri, pipeline-root
     * and a project are required; any key that is set has the form Vertex takes.
     *
     * @param key            retrain.pipelines.NAME
     * @param defaultProject retrain.gcp.project-id
     * @throws ConfigurationError naming the key
     */
    public static void check(String key, String target, RetrainConfig.Pipeline.Vertex v, Optional<String> defaultProject) {
        String k = key + ".vertex.";
        if (TARGET.equals(target)) {
            require(v.project().or(() -> defaultProject).filter(s -> !s.isBlank()).isPresent(), k + "project",
                    "required with target vertex (or retrain.gcp.project-id): the Google Cloud project of the pipeline job");
            require(v.region().filter(s -> !s.isBlank()).isPresent(), k + "region", "required with target vertex: the region of the pipeline job, e.g. europe-west4");
            require(v.templateUri().filter(s -> !s.isBlank()).isPresent(), k + "template-uri",
                    "required with target vertex: the Artifact Registry URI of the compiled pipeline, https://REGION-kfp.pkg.dev/PROJECT/REPO/PACKAGE/TAG");
            require(v.pipelineRoot().filter(s -> !s.isBlank()).isPresent(), k + "pipeline-root",
                    "required with target vertex: gs://bucket/prefix under which the job writes its artifacts");
        }
        v.project().ifPresent(p -> require(PROJECT.matcher(p).matches(), k + "project", "'" + p + "' is not a Google Cloud project id or number"));
        require(VertexPromoter.ALIAS.matcher(v.promotionAlias()).matches(), k + "promotion-alias", "'" + v.promotionAlias()
                + "' is not a Model Registry version alias (a lower-case letter, then up to 126 of a-z A-Z 0-9 -, ending in a-z 0-9 or -)");
        if (TARGET.equals(target) && v.project().isEmpty()) {
            defaultProject.ifPresent(p -> require(PROJECT.matcher(p).matches(), "retrain.gcp.project-id", "'" + p + "' is not a Google Cloud project id or number"));
        }
        v.region().ifPresent(r -> require(REGION.matcher(r).matches(), k + "region", "'" + r + "' is not a region name (e.g. europe-west4)"));
        v.templateUri().ifPresent(u -> require(TEMPLATE_URI.matcher(u).matches(), k + "template-uri", "'" + u + "' is not an Artifact Registry template URI"
                + " https://REGION-kfp.pkg.dev/PROJECT/REPO/PACKAGE/TAG-or-sha256:DIGEST; PipelineJob.templateUri takes no other kind"
                + " (a gs:// pipeline file must be uploaded to a Kubeflow Pipelines repository of Artifact Registry)"));
        v.pipelineRoot().ifPresent(u -> require(GCS_URI.matcher(u).matches(), k + "pipeline-root", "'" + u + "' is not a gs://bucket or gs://bucket/prefix URI"));
        v.serviceAccount().ifPresent(s -> require(SERVICE_ACCOUNT.matcher(s).matches(), k + "service-account", "'" + s + "' is not a service account e-mail"));
        v.manifestGcsUri().ifPresent(u -> require(GCS_URI.matcher(u).matches(), k + "manifest-gcs-uri", "'" + u + "' is not a gs://bucket or gs://bucket/prefix URI"));
        Map<String, String> seen = new HashMap<>();
        for (var r : v.parameterNames().entrySet()) {
            String pk = k + "parameter-names." + r.getKey();
            require(SENT.containsKey(r.getKey()), pk, "not a parameter that is sent; one of " + SENT.keySet());
            require(OMIT.equals(r.getValue()) || PARAMETER_NAME.matcher(r.getValue()).matches(), pk,
                    "'" + r.getValue() + "' is not a pipeline parameter name (a Python identifier), nor '-' (not sent)");
            if (!OMIT.equals(r.getValue())) {
                String other = seen.put(r.getValue(), r.getKey());
                require(other == null, pk, "'" + r.getValue() + "' is also the name of " + other);
            }
        }
        for (String ours : SENT.keySet()) {
            String theirs = v.parameterNames().get(ours);
            if (theirs == null && seen.containsKey(ours)) {
                throw new ConfigurationError(k + "parameter-names." + seen.get(ours), "'" + ours + "' is also the name under which " + ours + " is sent; rename or omit it");
            }
        }
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) throw new ConfigurationError(key, message);
    }
}
