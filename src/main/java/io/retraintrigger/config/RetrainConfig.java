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

/** Every {@code retrain.*} key. Documented key by key in the top-level application.properties. */
@ConfigMapping(prefix = "retrain")
public interface RetrainConfig {

    Store store();

    Coordinator coordinator();

    Drift drift();

    Batch batch();

    Api api();

    Launch launch();

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
        @WithDefault("retrain-trigger")
        String source();

        /** The event's detail-type. */
        @WithName("detail-type")
        @WithDefault("Training Decision")
        String detailType();

        /** Comma-separated resources of an event whose decision has no execution ARN (Camel's putEvent needs one). */
        @WithDefault("retrain-trigger")
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
            @WithDefault("false")
            boolean enabled();

            /** Subscription names (in retrain.gcp.project-id): GCS notifications, alerts, log sinks, scheduler. */
            @WithDefault("retrain-trigger-events,retrain-trigger-data")
            List<String> subscriptions();

            /** Messages pulled per request. */
            @WithName("max-messages")
            @WithDefault("10")
            int maxMessages();

            @WithName("concurrent-consumers")
            @WithDefault("1")
            int concurrentConsumers();
        }

        /** Azure Service Bus queue (peek-lock). */
        interface Azure {
            @WithDefault("false")
            boolean enabled();

            /** Fully qualified namespace, e.g. mlops.servicebus.windows.net (credentials: DefaultAzureCredential). */
            Optional<String> namespace();

            @WithDefault("retrain-trigger-events")
            String queue();

            /** TOKEN_CREDENTIAL (Entra ID: managed or workload identity, bean azureCredential) or CONNECTION_STRING (development). */
            @WithName("credential-type")
            @WithDefault("TOKEN_CREDENTIAL")
            String credentialType();

            /** Development only: a connection string instead of Entra ID (from the environment). */
            @WithName("connection-string")
            Optional<String> connectionString();

            @WithName("prefetch-count")
            @WithDefault("0")
            int prefetchCount();

            @WithName("max-concurrent-calls")
            @WithDefault("1")
            int maxConcurrentCalls();
        }

        interface Aws {
            @WithDefault("false")
            boolean enabled();

            /** The SQS queue of alarms, schedules and pipeline status (name or URL). */
            @WithDefault("mlops-trigger-events")
            String queue();

            /**
             * The SQS queue of S3 notifications (name or URL), consumed apart so that alerts never wait behind
             * data; empty: S3 notifications come on {@link #queue()} too.
             */
            @WithName("data-queue")
            Optional<String> dataQueue();

            /** Milliseconds between polls of an empty queue (after long polling found nothing); none while messages wait. */
            @WithName("poll-delay")
            @WithDefault("0")
            long pollDelay();

            /** Seconds a received message stays invisible: longer than the slowest processing of one message. */
            @WithName("visibility-timeout")
            @WithDefault("300")
            int visibilityTimeout();

            /** Long polling. */
            @WithName("wait-time-seconds")
            @WithDefault("20")
            int waitTimeSeconds();

            @WithName("max-messages")
            @WithDefault("10")
            int maxMessages();

            /**
             * Polling loops per queue. Each loop waits for its receive, the store step and its delete in turn,
             * so that several keep the queue busy (the benchmark: 1 loop 0.6 of the raw rate, 8 about 0.8).
             */
            @WithName("concurrent-consumers")
            @WithDefault("8")
            int concurrentConsumers();

            /** Drift score given to a Model Monitor violation that is not a baseline drift check (it has no distance). */
            @WithName("other-violation-score")
            @WithDefault("0.5")
            double otherViolationScore();
        }
    }

    /** Pipelines by name. */
    Map<String, Pipeline> pipelines();

    interface Store {
        /** jdbc (H2 file by default, PostgreSQL by URL). */
        @WithDefault("jdbc")
        String kind();

        Jdbc jdbc();

        /** How long event ids are remembered for dedup. */
        @WithName("dedup-retention")
        @WithDefault("7d")
        Duration dedupRetention();

        @WithName("dedup-purge-interval")
        @WithDefault("1h")
        Duration dedupPurgeInterval();

        @WithName("dead-letters")
        DeadLetters deadLetters();

        /** What is kept of refused input (GET /api/dead-letters), purged with the dedup keys. */
        interface DeadLetters {
            /** How long a dead letter is kept. */
            @WithDefault("14d")
            Duration retention();

            /** The most kept: beyond it the oldest go. */
            @WithName("max-count")
            @WithDefault("10000")
            int maxCount();

            /** Of a payload, the first this many bytes (UTF-8) are kept: the same on every store. */
            @WithName("max-payload-bytes")
            @WithDefault("65536")
            int maxPayloadBytes();
        }

        interface Jdbc {
            @WithDefault("jdbc:h2:file:./data/retrain-trigger;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0")
            String url();

            Optional<String> username();

            Optional<String> password();

            @WithName("max-pool-size")
            @WithDefault("10")
            int maxPoolSize();
        }
    }

    interface Coordinator {
        @WithName("min-interval")
        @WithDefault("6h")
        Duration minInterval();

        @WithName("max-daily-trainings")
        @WithDefault("4")
        int maxDailyTrainings();

        @WithName("daily-budget")
        @WithDefault("1000")
        double dailyBudget();

        @WithName("base-cost")
        @WithDefault("150")
        double baseCost();

        /** How often due deferred requests are looked for. */
        @WithName("deferred-check-interval")
        @WithDefault("30s")
        Duration deferredCheckInterval();
    }

    interface Drift {
        Levels thresholds();

        @WithName("auto-retrain")
        @WithDefault("true")
        boolean autoRetrain();

        interface Levels {
            @WithDefault("0.1")
            double medium();

            @WithDefault("0.3")
            double high();

            @WithDefault("0.5")
            double critical();
        }
    }

    interface Batch {
        @WithDefault("1000")
        int size();

        @WithDefault("1h")
        Duration window();

        /** How often closed batches without a recorded decision are looked for (and claimed). */
        @WithName("recovery-interval")
        @WithDefault("5s")
        Duration recoveryInterval();

        /** Time the closer of a batch has to record its decision before another replica may claim it. */
        @WithName("decide-lease")
        @WithDefault("30s")
        Duration decideLease();

        /** Claims of a closed batch before it goes to the dead letters. */
        @WithName("max-redeliveries")
        @WithDefault("20")
        int maxRedeliveries();

        /** Milliseconds between checks for expired batch windows. */
        @WithName("timeout-checker-interval")
        @WithDefault("1000")
        long timeoutCheckerInterval();
    }

    interface Api {
        @WithName("max-body-bytes")
        @WithDefault("1048576")
        int maxBodyBytes();
    }

    interface Launch {
        /** A LAUNCHED decision still PENDING after this long is sent again (same decision id). */
        @WithName("resend-after")
        @WithDefault("2m")
        Duration resendAfter();

        @WithName("resend-check-interval")
        @WithDefault("60s")
        Duration resendCheckInterval();

        /** Immediate retries of a throttled or unavailable launch. */
        @WithName("max-retries")
        @WithDefault("5")
        int maxRetries();

        /** Milliseconds before the first retry; doubles each time. */
        @WithName("retry-delay")
        @WithDefault("1000")
        long retryDelay();

        /** Longest wait between two retries, in milliseconds; the send lease (resend-after) must outlast it. */
        @WithName("max-retry-delay")
        @WithDefault("60000")
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
