package io.retraintrigger.ingest;

import com.google.cloud.pubsub.v1.stub.SubscriberStubSettings;
import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.GcpConfig;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.config.RetrainConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.quarkus.main.events.BeforeStart;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * Routes made from the route templates of routes/*.yaml, one per configured item: a Quartz schedule per
 * pipeline with a schedule (template schedule-tick, routes schedule-NAME), a consumer per SQS queue when
 * the AWS source is on (template sqs-queue, routes ingest-aws-sqs and ingest-aws-sqs-data, and -2, -3, ...
 * with several concurrent consumers), and a consumer
 * per Pub/Sub subscription when the Google Cloud source is on (template pubsub-subscription, routes
 * ingest-gcp-NAME).
 */
@ApplicationScoped
public class RouteTemplateInstaller {
    private static final Logger LOG = Logger.getLogger(RouteTemplateInstaller.class);

    private final PipelineRegistry pipelines;
    private final RetrainConfig config;
    private final GcpConfig gcp;

    @Inject
    public RouteTemplateInstaller(PipelineRegistry pipelines, RetrainConfig config, GcpConfig gcp) {
        this.pipelines = pipelines;
        this.config = config;
        this.gcp = gcp;
    }

    void install(@Observes BeforeStart event) {
        CamelContext camel = event.getCamelContext();
        for (PipelineSettings p : pipelines.all()) {
            p.schedule().ifPresent(cron -> add(camel, "schedule-tick", "schedule-" + p.name(),
                    Map.of("pipeline", p.name(), "cron", cron.trim().replaceAll("\\s+", "+"))));
        }
        if (config.sources().aws().enabled()) {
            RetrainConfig.Sources.Aws aws = config.sources().aws();
            int maxMessages = aws.maxMessages();
            if (maxMessages < 1 || maxMessages > 10) {
                throw new ConfigurationError("retrain.sources.aws.max-messages", "is " + maxMessages + "; an SQS receive takes 1 to 10 messages");
            }
            if (aws.concurrentConsumers() < 1) {
                throw new ConfigurationError("retrain.sources.aws.concurrent-consumers", "is " + aws.concurrentConsumers() + "; at least 1");
            }
            addSqsConsumers(camel, "ingest-aws-sqs", aws.queue(), aws.concurrentConsumers());
            aws.dataQueue().filter(q -> !q.isBlank())
                    .ifPresent(q -> addSqsConsumers(camel, "ingest-aws-sqs-data", q, aws.concurrentConsumers()));
        }
        if (config.sources().gcp().enabled()) {
            if (gcp.projectId().isEmpty()) {
                throw new ConfigurationError("retrain.gcp.project-id", "the Google Cloud source is enabled but names no project");
            }
            checkPubSubClient();
            for (String subscription : config.sources().gcp().subscriptions()) {
                add(camel, "pubsub-subscription", "ingest-gcp-" + subscription, Map.of("subscription", subscription));
            }
        }
    }

    /**
     * The google-pubsub consumer makes its Subscriber on a thread of its own and catches only Exception
     * there: an Error (a NoClassDefFoundError from mismatched Google client libraries, gax against an
     * older google-auth-library) ends that thread unseen, and the route is started yet receives nothing.
     * Making the client settings here (no network, no credentials) reports it at startup with its cause,
     * and no Pub/Sub route is made.
     */
    private static void checkPubSubClient() {
        try {
            SubscriberStubSettings.newBuilder();
        } catch (LinkageError e) {
            throw new ConfigurationError("retrain.sources.gcp.enabled",
                    "the Google Cloud Pub/Sub client cannot load (mismatched gax / google-auth-library versions?): " + e);
        }
    }

    /** concurrent-consumers polling loops on one queue: routes ROUTE, ROUTE-2, ROUTE-3, ... */
    private static void addSqsConsumers(CamelContext camel, String route, String queue, int consumers) {
        for (int i = 1; i <= consumers; i++) {
            String id = i == 1 ? route : route + "-" + i;
            add(camel, "sqs-queue", id, Map.of("queue", queue, "consumer", id));
        }
    }

    private static void add(CamelContext camel, String template, String routeId, Map<String, Object> parameters) {
        TemplatedRouteBuilder b = TemplatedRouteBuilder.builder(camel, template).routeId(routeId);
        parameters.forEach(b::parameter);
        b.add();
        LOG.infof("route %s from template %s %s", routeId, template, parameters);
    }
}
