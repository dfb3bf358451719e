package io.retraintrigger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Every {@code retrain.*} key. Each default is set once, in the top-level application.properties (built
 * into the jar, documented key by key), except the per-pipeline ones that no global key covers.
 */
@ConfigMapping(prefix = "retrain")
public interface RetrainConfig {
    /** Where the YAML routes are read from: camel.main.routes-include-pattern is set to it (classpath:routes/*.yaml built in). */
    String routes();


    Store store();

    Coordinator coordinator();

    Drift drift();

    Batch batch();

    Api api();

    Launch launch();

    /** Signals that did not come: how often they are looked for (retrain.pipelines.NAME.expect.* says what is expected). */
    Expect expect();

    interface Expect {
        @WithName("check-interval")
        Duration checkInterval();

        /** What to do with a schedule's fires missed while the service was down: skip, once or each (per pipeline: schedule-catch-up). */
        @WithName("schedule-catch-up")
        String scheduleCatchUp();
    }

    /** The accepted events, kept for a backtest (GET /api/events/export). */
    Events events();

    interface Events {
        /** How long an accepted event is kept, from the time it occurred; 0s keeps none. */
        Duration retention();
    }

    /** Defaults of every pipeline's guardrails (retrain.pipelines.NAME.guardrails.* overrides them), and the sweep. */
    Guardrails guardrails();

    interface Guardrails {
        boolean enabled();

        String metric();

        @WithName("min-golden-set")
        double minGoldenSet();

        @WithName("max-baseline-gap")
        double maxBaselineGap();

        @WithName("max-kl-divergence")
        double maxKlDivergence();

        @WithName("kl-floor")
        double klFloor();

        @WithName("max-error-share")
        double maxErrorShare();

        @WithName("require-human-approval")
        double requireHumanApproval();

        @WithName("report-timeout")
        Duration reportTimeout();

        @WithName("holdout-fraction")
        double holdoutFraction();

        Breaker breaker();

        interface Breaker {
            @WithName("falling-trainings")
            int fallingTrainings();

            @WithName("rejections-in-a-row")
            int rejectionsInARow();
        }

        /** How often trainings awaiting their report, and promotions not yet sent, are looked at. */
        @WithName("sweep-interval")
        Duration sweepInterval();

        /** How many of the newest LAUNCHED decisions a sweep looks at. */
        @WithName("sweep-window")
        int sweepWindow();
    }

    @WithName("notify")
    Endpoint notification();

    Audit audit();

    /** A Camel endpoint URI: log:, aws2-sns:, aws2-eventbridge:, google-pubsub:, http: ... */
    interface Endpoint {
        String uri();
    }

    /**
     * The audit sink (every decision as JSON), and what an aws2-eventbridge sink puts in each event;
     * the audit route sets them as Camel's CamelAwsEventbridge* headers, which other sinks ignore.
     */
    interface Audit extends Endpoint {
        /** The event's source. */
        String source();

        /** The event's detail-type. */
        @WithName("detail-type")
        String detailType();

        /** Comma-separated resources of an event whose decision has no execution ARN (Camel's putEvent needs one). */
        String resources();
    }

    /** The cloud sources. A source whose enabled is false starts no consumer and creates no client. */
    Sources sources();

    interface Sources {

        Aws aws();

        Gcp gcp();

        Azure azure();

        /** Google Cloud Pub/Sub subscriptions, one consumer route each (one route template). */
        interface Gcp {
            boolean enabled();

            /** Subscription names (in retrain.gcp.project-id): GCS notifications, alerts, log sinks, scheduler. */
            List<String> subscriptions();

            /** Messages pulled per request. */
            @WithName("max-messages")
            int maxMessages();

            @WithName("concurrent-consumers")
            int concurrentConsumers();
        }

        /** Azure Service Bus queue (peek-lock). */
        interface Azure {
            boolean enabled();

            /** Fully qualified namespace, e.g. mlops.servicebus.windows.net (credentials: DefaultAzureCredential). */
            Optional<String> namespace();

            String queue();

            /** TOKEN_CREDENTIAL (Entra ID: managed or workload identity, bean azureCredential) or CONNECTION_STRING (development). */
            @WithName("credential-type")
            String credentialType();

            /** Development only: a connection string instead of Entra ID (from the environment). */
            @WithName("connection-string")
            Optional<String> connectionString();

            @WithName("prefetch-count")
            int prefetchCount();

            @WithName("max-concurrent-calls")
            int maxConcurrentCalls();
        }

        interface Aws {
            boolean enabled();

            /** The SQS queue of alarms, schedules and pipeline status (name or URL). */
            String queue();

            /**
             * The SQS queue of S3 notifications (name or URL), consumed apart so that alerts never wait behind
             * data; empty: S3 notifications come on {@link #queue()} too.
             */
            @WithName("data-queue")
            Optional<String> dataQueue();

            /** Milliseconds between polls of an empty queue (after long polling found nothing); none while messages wait. */
            @WithName("poll-delay")
            long pollDelay();

            /** Seconds a received message stays invisible: longer than the slowest processing of one message. */
            @WithName("visibility-timeout")
            int visibilityTimeout();

            /** Long polling. */
            @WithName("wait-time-seconds")
            int waitTimeSeconds();

            @WithName("max-messages")
            int maxMessages();

            /**
             * Polling loops per queue. Each loop waits for its receive, the store step and its delete in turn,
             * so that several keep the queue busy (the benchmark: 1 loop 0.6 of the raw rate, 8 about 0.8).
             */
            @WithName("concurrent-consumers")
            int concurrentConsumers();

            /** Drift score given to a Model Monitor violation that is not a baseline drift check (it has no distance). */
            @WithName("other-violation-score")
            double otherViolationScore();
        }
    }

    /** Pipelines by name. */
    Map<String, Pipeline> pipelines();

    interface Store {
        /** jdbc (H2 file by default, PostgreSQL by URL). */
        String kind();

        Jdbc jdbc();

        /** How long event ids are remembered for dedup. */
        @WithName("dedup-retention")
        Duration dedupRetention();

        @WithName("dedup-purge-interval")
        Duration dedupPurgeInterval();

        @WithName("dead-letters")
        DeadLetters deadLetters();

        /** What is kept of refused input (GET /api/dead-letters), purged with the dedup keys. */
        interface DeadLetters {
            /** How long a dead letter is kept. */
            Duration retention();

            /** The most kept: beyond it the oldest go. */
            @WithName("max-count")
            int maxCount();

            /** Of a payload, the first this many bytes (UTF-8) are kept: the same on every store. */
            @WithName("max-payload-bytes")
            int maxPayloadBytes();
        }

        interface Jdbc {
            String url();

            Optional<String> username();

            Optional<String> password();

            @WithName("max-pool-size")
            int maxPoolSize();
        }
    }

    interface Coordinator {
        @WithName("min-interval")
        Duration minInterval();

        @WithName("max-daily-trainings")
        int maxDailyTrainings();

        @WithName("daily-budget")
        double dailyBudget();

        @WithName("base-cost")
        double baseCost();

        /** How often due deferred requests are looked for. */
        @WithName("deferred-check-interval")
        Duration deferredCheckInterval();
    }

    interface Drift {
        Levels thresholds();

        @WithName("auto-retrain")
        boolean autoRetrain();

        interface Levels {
            double medium();

            double high();

            double critical();
        }
    }

    interface Batch {
        int size();

        Duration window();

        /** How often closed batches without a recorded decision are looked for (and claimed). */
        @WithName("recovery-interval")
        Duration recoveryInterval();

        /** Time the closer of a batch has to record its decision before another replica may claim it. */
        @WithName("decide-lease")
        Duration decideLease();

        /** Claims of a closed batch before it goes to the dead letters. */
        @WithName("max-redeliveries")
        int maxRedeliveries();

        /** Milliseconds between checks for expired batch windows. */
        @WithName("timeout-checker-interval")
        long timeoutCheckerInterval();
    }

    interface Api {
        @WithName("max-body-bytes")
        int maxBodyBytes();
    }

    interface Launch {
        /** A LAUNCHED decision still PENDING after this long is sent again (same decision id). */
        @WithName("resend-after")
        Duration resendAfter();

        @WithName("resend-check-interval")
        Duration resendCheckInterval();

        /** Immediate retries of a throttled or unavailable launch. */
        @WithName("max-retries")
        int maxRetries();

        /** Milliseconds before the first retry; doubles each time. */
        @WithName("retry-delay")
        long retryDelay();

        /** Longest wait between two retries, in milliseconds; the send lease (resend-after) must outlast it. */
        @WithName("max-retry-delay")
        long maxRetryDelay();
    }

    interface Pipeline {
        /** dry-run | sagemaker | vertex | azureml */
        @WithDefault("dry-run")
        String target();

        /** Quartz cron expression; no schedule when absent. */
        Optional<String> schedule();

        /** Object URI prefixes (s3://, gs://, https://acct.blob.core.windows.net/...) whose new objects feed this pipeline. */
        @WithName("data-sources")
        Optional<List<String>> dataSources();

        /** Monitor names whose alerts concern this pipeline. */
        Optional<List<String>> monitors();

        PipelineBatch batch();

        PipelineCoordinator coordinator();

        PipelineDrift drift();

        /** Signals this pipeline expects; a silence longer than these is a finding (decision MISSED_SIGNAL). */
        PipelineExpect expect();

        interface PipelineExpect {
            /** Longest time without a data arrival. */
            @WithName("data-within")
            Optional<Duration> dataWithin();

            /** Longest time its drift monitor may be silent (no alarm, no OK, no report). */
            @WithName("monitor-within")
            Optional<Duration> monitorWithin();
        }

        /** skip | once | each: the fires of its schedule missed while the service was down (default retrain.expect.schedule-catch-up). */
        @WithName("schedule-catch-up")
        Optional<String> scheduleCatchUp();

        /**
         * Static launch parameters, merged under the computed ones: {@code parameters.NAME=value} for every launch,
         * {@code parameters.<trigger type>.NAME=value} (scheduled, data-arrival, drift, manual) for that trigger's.
         */
        Map<String, String> parameters();

        /** The checks of the models this pipeline trains; unset values are retrain.guardrails.*. */
        PipelineGuardrails guardrails();

        interface PipelineGuardrails {
            Optional<Boolean> enabled();

            Optional<String> metric();

            @WithName("min-golden-set")
            OptionalDouble minGoldenSet();

            @WithName("max-baseline-gap")
            OptionalDouble maxBaselineGap();

            @WithName("max-kl-divergence")
            OptionalDouble maxKlDivergence();

            @WithName("kl-floor")
            OptionalDouble klFloor();

            @WithName("max-error-share")
            OptionalDouble maxErrorShare();

            @WithName("require-human-approval")
            OptionalDouble requireHumanApproval();

            /** s3://, gs:// or https://<account>.blob.core.windows.net/ URI of the report; {decisionId}, {executionId} and {pipeline} are filled in. */
            @WithName("report-uri")
            Optional<String> reportUri();

            @WithName("report-timeout")
            Optional<Duration> reportTimeout();

            /** The immutable golden set, passed to every launch (GoldenSetUri). */
            @WithName("golden-set-uri")
            Optional<String> goldenSetUri();

            /** Baseline data mixed into every training (BaselineHoldoutUri), at holdout-fraction. */
            @WithName("baseline-holdout-uri")
            Optional<String> baselineHoldoutUri();

            @WithName("holdout-fraction")
            OptionalDouble holdoutFraction();

            @WithName("breaker.falling-trainings")
            OptionalInt fallingTrainings();

            @WithName("breaker.rejections-in-a-row")
            OptionalInt rejectionsInARow();
        }

        /** Names or ids of cloud schedules that tick for this pipeline (EventBridge rule name or ARN, Cloud Scheduler job, ...). */
        @WithName("schedule-sources")
        Optional<List<String>> scheduleSources();

        /** Amazon SageMaker target and Model Monitor reports. */
        SageMaker sagemaker();

        interface SageMaker {
            /** SageMaker pipeline to start (target sagemaker). */
            @WithName("pipeline-name")
            Optional<String> pipelineName();

            /** Our parameter name -> the pipeline's own parameter name (e.g. DataPaths=InputDataUris). */
            @WithName("parameter-names")
            Map<String, String> parameterNames();

            /** s3://bucket/prefix/ under which Model Monitor writes constraint_violations.json reports. */
            @WithName("monitoring-s3-uri")
            Optional<String> monitoringS3Uri();

            /** s3://bucket/prefix where manifests of long object lists are written (manifests/<decision id>.json below it). */
            @WithName("manifest-s3-uri")
            Optional<String> manifestS3Uri();
        }

        /** Vertex AI Pipelines target (target vertex). */
        Vertex vertex();

        interface Vertex {
            /** Google Cloud project of the pipeline job; retrain.gcp.project-id when absent. */
            Optional<String> project();

            /** Region (location) of the job, e.g. europe-west4. */
            Optional<String> region();

            /** Compiled pipeline template: gs://.../pipeline.json or an Artifact Registry https://<region>-kfp.pkg.dev/... URI. */
            @WithName("template-uri")
            Optional<String> templateUri();

            /** GCS output root of the job's artifacts (runtimeConfig.gcsOutputDirectory). */
            @WithName("pipeline-root")
            Optional<String> pipelineRoot();

            /** Service account the job runs as. */
            @WithName("service-account")
            Optional<String> serviceAccount();

            /** Our parameter name -> the pipeline's own parameter name. */
            @WithName("parameter-names")
            Map<String, String> parameterNames();

            /** gs://bucket/prefix where manifests of long object lists are written (manifests/<decision id>.json below it). */
            @WithName("manifest-gcs-uri")
            Optional<String> manifestGcsUri();

            /** The Model Registry version alias a promoted model gets, moved from the version that had it. */
            @WithName("promotion-alias")
            @WithDefault("champion")
            String promotionAlias();
        }

        /** Azure Machine Learning target (target azureml). */
        @WithName("azureml")
        AzureMl azureMl();

        interface AzureMl {
            @WithName("subscription-id")
            Optional<String> subscriptionId();

            @WithName("resource-group")
            Optional<String> resourceGroup();

            Optional<String> workspace();

            /** The pipeline job to submit: a registered pipeline component (azureml:name:version or its ARM id). */
            @WithName("component-id")
            Optional<String> componentId();

            @WithName("experiment-name")
            Optional<String> experimentName();

            /** Default compute of the job (azureml:<cluster>). */
            Optional<String> compute();

            /** Our parameter name -> the pipeline's own input name. */
            @WithName("parameter-names")
            Map<String, String> parameterNames();

            /** https://<account>.blob.core.windows.net/<container>/<prefix> where manifests of long object lists are written. */
            @WithName("manifest-blob-uri")
            Optional<String> manifestBlobUri();

            /** The tag (NAME=VALUE) a promoted model version gets, removed from the versions that had it. */
            @WithName("promotion-tag")
            @WithDefault("stage=champion")
            String promotionTag();
        }

        interface PipelineBatch {
            OptionalInt size();

            Optional<Duration> window();
        }

        interface PipelineCoordinator {
            @WithName("min-interval")
            Optional<Duration> minInterval();

            @WithName("max-daily-trainings")
            OptionalInt maxDailyTrainings();

            @WithName("daily-budget")
            OptionalDouble dailyBudget();

            @WithName("base-cost")
            OptionalDouble baseCost();
        }

        interface PipelineDrift {
            @WithName("auto-retrain")
            Optional<Boolean> autoRetrain();

            OptionalLevels thresholds();

            /** Per-feature thresholds: retrain.pipelines.NAME.drift.features.FEATURE.{medium,high,critical}. */
            Map<String, OptionalLevels> features();

            /** Per monitor (alarm name or alias): retrain.pipelines.NAME.drift.monitors.MONITOR.severity. */
            Map<String, MonitorGrade> monitors();

            interface MonitorGrade {
                /**
                 * low | medium | high | critical: the grade of every alert of this monitor, whatever its value
                 * (an alarm on a count or a flag, whose value is no drift distance).
                 */
                Optional<String> severity();
            }
        }

        interface OptionalLevels {
            OptionalDouble medium();

            OptionalDouble high();

            OptionalDouble critical();
        }
    }
}
