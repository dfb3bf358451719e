package io.retraintrigger.ingest.aws;

import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.ingest.DeliveryParser;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQS route's beans: parse a message body, and give a SageMaker Model Monitor alarm the drifted
 * features of the latest {@code constraint_violations.json} under the pipeline's monitoring prefix.
 */
@ApplicationScoped
public class AwsIngest implements DeliveryParser {
    public static final String SOURCE = "aws-sqs";
    private final AwsMessageParser parser = new AwsMessageParser();
    private final ModelMonitorViolations violations = new ModelMonitorViolations();
    private final Instance<ModelMonitorReports> reports;
    private final PipelineRegistry pipelines;
    private final double otherViolationScore;

    @Inject
    public AwsIngest(Instance<ModelMonitorReports> reports, PipelineRegistry pipelines, RetrainConfig config) {
        this.reports = reports;
        this.pipelines = pipelines;
        this.otherViolationScore = config.sources().aws().otherViolationScore();
    }

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public List<TriggerEvent> parse(byte[] body, Map<String, Object> headers) {
        return parse(body == null ? "" : new String(body, StandardCharsets.UTF_8));
    }

    public List<TriggerEvent> parse(String body) {
        return parser.parse(body);
    }

    /** A drift alert of a pipeline with sagemaker.monitoring-s3-uri: scores from the newest report. */
    @Override
    public TriggerEvent enrich(TriggerEvent e) {
        if (e.kind() != EventKind.DRIFT_ALERT || e.pipeline() == null) return e;
        Optional<String> prefix = pipelines.find(e.pipeline()).flatMap(p -> p.sagemaker().monitoringS3Uri());
        // An alert left without scores is refused by DriftService, with this evidence in the reason.
        if (prefix.isEmpty()) {
            return e.features().isEmpty() && !e.attributes().containsKey(TriggerEvent.EVIDENCE)
                    ? e.withEvidence("the alarm carries no datapoint and retrain.pipelines." + e.pipeline() + ".sagemaker.monitoring-s3-uri is not set")
                    : e;
        }
        Optional<ModelMonitorReports.Report> report = reports.get().latest(prefix.get());
        if (report.isEmpty()) {
            return e.withEvidence("no Model Monitor report under " + prefix.get() + "; the alarm's own value");
        }
        List<FeatureScore> scores = violations.features(report.get().json(), otherViolationScore);
        if (scores.isEmpty()) {
            return e.withEvidence("report " + report.get().uri() + " lists no violation; the alarm's own value");
        }
        return new TriggerEvent(e.id(), e.kind(), e.cloud(), e.source(), e.pipeline(), e.occurredAt(), e.dataUri(), e.sizeBytes(), scores,
                e.monitor(), e.attributes()).withEvidence("Model Monitor report " + report.get().uri());
    }
}
