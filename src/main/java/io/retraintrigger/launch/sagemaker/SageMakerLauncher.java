package io.retraintrigger.launch.sagemaker;

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
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.Parameter;
import software.amazon.awssdk.services.sagemaker.model.StartPipelineExecutionRequest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Starts an Amazon SageMaker pipeline execution (StartPipelineExecution) for a LAUNCHED decision.
 *
 * <ul>
 * <li>PipelineName: {@code retrain.pipelines.NAME.sagemaker.pipeline-name} (a name or an ARN).</li>
 * <li>ClientRequestToken: the decision id, so a resent launch starts nothing new. SageMaker takes 32 to
 * 128 characters; a decision id outside that range is replaced by its SHA-256 (64 hex characters),
 * which is just as stable.</li>
 * <li>PipelineExecutionDisplayName: {@code <pipeline>-<trigger type>-<sequence>}, e.g.
 * {@code fraud-data-arrival-12}, fitted to SageMaker's {@code ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}}.</li>
 * <li>PipelineParameters: {@link #SENT} in that order, those present in the launch's parameters, each
 * renamed by {@code retrain.pipelines.NAME.sagemaker.parameter-names.<ours>=<the pipeline's>}; a name
 * mapped to {@code -} is not sent. SageMaker refuses a parameter that the pipeline does not define, so
 * the pipeline must define every one it receives (with a default for those not always present).</li>
 * <li>Data: with DataPaths goes {@value #DATA_MANIFEST}. {@code false}: DataPaths is the comma-separated
 * object URIs. {@code true}: they did not fit in SageMaker's 1024-character parameter value, so they were
 * written as a JSON manifest {@code {"decisionId","pipeline","uris":[...],"count","totalBytes"}} to
 * {@code <manifest-s3-uri>/manifests/<decision id>.json}, and DataPaths is that object's s3:// URI.</li>
 * </ul>
 * Throttling, 408, 5xx, ResourceLimitExceeded and network failures raise {@link RetryableLaunchException}
 * (the launch route retries with backoff, then the resend timer); anything else SageMaker refuses
 * (ValidationException, ResourceNotFound, AccessDenied ...) raises {@link LaunchRejectedException} with
 * SageMaker's message. The execution id is the PipelineExecutionArn.
 */
@ApplicationScoped
public class SageMakerLauncher implements PipelineLauncher {
    private static final Logger LOG = Logger.getLogger(SageMakerLauncher.class);

    public static final String TARGET = "sagemaker";
    /** Sent with DataPaths: whether DataPaths is the s3:// URI of a manifest rather than the URIs themselves. */
    public static final String DATA_MANIFEST = LaunchInputs.DATA_MANIFEST;
    /** A parameter name mapped to this is not sent. */
    public static final String OMIT = LaunchInputs.OMIT;

    /** The parameters passed to the pipeline, by their canonical names, in request order. */
    public static final List<String> SENT = LaunchInputs.SENT;

    /** SageMaker API reference, Parameter: Value is 0 to 1024 characters. */
    public static final int MAX_PARAMETER_VALUE = 1024;
    /** SageMaker API reference, Parameter: Name is 1 to 256 characters of {@code [A-Za-z0-9\-_]}. */
    public static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z0-9\\-_]{1,256}");
    /** StartPipelineExecution: PipelineExecutionDisplayName, 1 to 82 characters. */
    public static final int MAX_DISPLAY_NAME = 82;
    public static final Pattern DISPLAY_NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}");
    /** StartPipelineExecution: ClientRequestToken, 32 to 128 characters. */
    public static final int MIN_TOKEN = 32;
    public static final int MAX_TOKEN = 128;
    /** s3://bucket or s3://bucket/prefix. */
    public static final Pattern S3_URI = Pattern.compile("s3://([a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9])(?:/(.*))?");

    private static final Set<String> RETRYABLE_CODES = Set.of(
            "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException",
            "RequestLimitExceeded", "ProvisionedThroughputExceededException", "SlowDown",
            "ServiceUnavailable", "InternalFailure", "InternalError", "RequestTimeout", "RequestTimeoutException",
            "ResourceLimitExceeded");

    /** What a pipeline's sagemaker.* keys say. */
    public record Target(String pipelineName, Map<String, String> parameterNames, Optional<String> manifestS3Uri) {
        public Target {
            parameterNames = parameterNames == null ? Map.of() : Map.copyOf(parameterNames);
            manifestS3Uri = manifestS3Uri == null ? Optional.empty() : manifestS3Uri;
        }
    }

    private final SageMakerClient sageMaker;
    private final ManifestStore manifests;
    private final Function<PipelineSettings, Optional<Target>> targets;

    @Inject
    public SageMakerLauncher(SageMakerClient sageMaker, S3Client s3) {
        this(sageMaker, s3, p -> p.sagemaker().pipelineName().map(n -> new Target(n, p.sagemaker().parameterNames(), p.sagemaker().manifestS3Uri())));
    }

    /** @param targets the sagemaker settings of a pipeline */
    public SageMakerLauncher(SageMakerClient sageMaker, S3Client s3, Function<PipelineSettings, Optional<Target>> targets) {
        this.sageMaker = sageMaker;
        this.manifests = new S3Manifests(s3);
        this.targets = targets;
    }

    @Override
    public String target() {
        return TARGET;
    }

    @Override
    public void check(PipelineSettings pipeline) {
        check(pipeline.key(), pipeline.target(), pipeline.sagemaker());
    }

    /**
     * A sagemaker pipeline names the SageMaker pipeline it starts; parameter renames name a parameter
     * that is sent and a name SageMaker accepts; a manifest location is an s3:// URI.
     *
     * @param key retrain.pipelines.NAME
     */
    static void check(String key, String target, RetrainConfig.Pipeline.SageMaker sm) {
        if (TARGET.equals(target)) {
            require(sm.pipelineName().filter(n -> !n.isBlank()).isPresent(), key + ".sagemaker.pipeline-name",
                    "required with target sagemaker: the name or ARN of the SageMaker pipeline to start");
        }
        for (var r : sm.parameterNames().entrySet()) {
            String k = key + ".sagemaker.parameter-names." + r.getKey();
            require(SENT.contains(r.getKey()), k, "not a parameter that is sent; one of " + SENT);
            require(OMIT.equals(r.getValue()) || PARAMETER_NAME.matcher(r.getValue()).matches(), k,
                    "'" + r.getValue() + "' is not a SageMaker parameter name (1-256 of A-Z a-z 0-9 - _), nor '-' (not sent)");
        }
        sm.manifestS3Uri().ifPresent(u -> require(S3_URI.matcher(u).matches(), key + ".sagemaker.manifest-s3-uri",
                "'" + u + "' is not an s3://bucket or s3://bucket/prefix URI"));
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) throw new ConfigurationError(key, message);
    }

    @Override
    public Submission launch(PipelineSettings pipeline, Decision decision) {
        Target target = targets.apply(pipeline).orElseThrow(() -> new LaunchRejectedException(
                "retrain.pipelines." + pipeline.name() + ".sagemaker.pipeline-name is not set", null));
        List<Parameter> parameters = parameters(target, pipeline.name(), decision);
        StartPipelineExecutionRequest request = StartPipelineExecutionRequest.builder()
                .pipelineName(target.pipelineName())
                .pipelineExecutionDisplayName(displayName(pipeline.name(), decision))
                .pipelineExecutionDescription(description(decision))
                .clientRequestToken(clientRequestToken(decision.id()))
                .pipelineParameters(parameters)
                .build();
        try {
            String arn = sageMaker.startPipelineExecution(request).pipelineExecutionArn();
            LOG.infof("sagemaker: started %s for decision %s: %s", target.pipelineName(), decision.id(), arn);
            Map<String, String> sent = new LinkedHashMap<>();
            parameters.forEach(p -> sent.put(p.name(), p.value()));
            return new Submission(arn, sent);
        } catch (AwsServiceException e) {
            throw classify("SageMaker", e);
        } catch (SdkClientException e) {
            throw new RetryableLaunchException("SageMaker unreachable: " + e.getMessage(), e);
        }
    }

    /** The pipeline parameters of a decision, renamed, the data passed inline or by manifest. */
    List<Parameter> parameters(Target target, String pipeline, Decision decision) {
        // a value over SageMaker's limit is cut (not between the halves of a surrogate pair) and the cut logged
        List<String> sent = LaunchInputs.withStatic(SENT, decision.launch().parameters());
        Map<String, String> values = LaunchInputs.select(sent, decision.launch().parameters(), MAX_PARAMETER_VALUE,
                paths -> writeManifest(target, pipeline, decision, paths),
                (name, length) -> LOG.warnf("sagemaker: parameter %s of decision %s is %d characters; cut to SageMaker's %d",
                        name, decision.id(), length, MAX_PARAMETER_VALUE));
        return LaunchInputs.rename(sent, values, target.parameterNames(),
                (name, value) -> value).stream().map(e -> Parameter.builder().name(e.getKey()).value(e.getValue()).build()).toList();
    }

    /** Writes the manifest of the decision's data (same key on a resend: idempotent) and returns its s3:// URI. */
    String writeManifest(Target target, String pipeline, Decision decision, String dataPaths) {
        String base = target.manifestS3Uri().orElseThrow(() -> new LaunchRejectedException(
                "DataPaths is " + dataPaths.length() + " characters, over SageMaker's " + MAX_PARAMETER_VALUE
                        + "-character parameter value; set retrain.pipelines." + pipeline
                        + ".sagemaker.manifest-s3-uri to pass the data as a manifest", null));
        return DataManifest.write(manifests, base, decision, pipeline, dataPaths);
    }

    /** Throttling, timeouts, 5xx and limits are worth retrying; any other refusal is final. */
    static RuntimeException classify(String service, AwsServiceException e) {
        AwsErrorDetails d = e.awsErrorDetails();
        String code = d == null ? null : d.errorCode();
        String message = d != null && d.errorMessage() != null ? d.errorMessage() : e.getMessage();
        int status = e.statusCode();
        String text = service + " " + (code != null ? code : "HTTP " + status) + ": " + message;
        if (e.isThrottlingException() || status == 429 || status == 408 || status >= 500 || (code != null && RETRYABLE_CODES.contains(code))) {
            return new RetryableLaunchException(text, e);
        }
        return new LaunchRejectedException(text, e);
    }

    /** The decision id when SageMaker takes it as it is (32 to 128 characters), else its SHA-256 in hex. */
    public static String clientRequestToken(String decisionId) {
        if (decisionId.length() >= MIN_TOKEN && decisionId.length() <= MAX_TOKEN) return decisionId;
        return LaunchInputs.sha256Hex(decisionId);
    }

    /** {@code <pipeline>-<trigger type>-<sequence>}, cut from the pipeline's end to fit 82 characters. */
    public static String displayName(String pipeline, Decision decision) {
        String trigger = decision.triggerType() == null ? "training" : decision.triggerType().name();
        String suffix = "-" + clean(trigger.toLowerCase(Locale.ROOT)) + "-" + decision.launch().sequence();
        String head = clean(pipeline);
        if (head.length() + suffix.length() > MAX_DISPLAY_NAME) {
            head = clean(head.substring(0, Math.max(0, MAX_DISPLAY_NAME - suffix.length())));
        }
        String name = head.isEmpty() ? clean(suffix) : head + suffix;
        return DISPLAY_NAME.matcher(name).matches() ? name : "retrain-" + decision.launch().sequence();
    }

    /** Letters and digits kept, anything else a '-', no '-' at either end. */
    private static String clean(String s) {
        return s.replaceAll("[^a-zA-Z0-9]", "-").replaceAll("^-+|-+$", "");
    }

    private static String description(Decision decision) {
        return LaunchInputs.description(decision, 3072);
    }
}
