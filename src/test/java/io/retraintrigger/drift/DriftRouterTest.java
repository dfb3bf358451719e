package io.retraintrigger.drift;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retraintrigger.audit.SinkAttributes;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.coordinator.Coordinator;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.store.jdbc.JdbcApprovalLog;
import io.retraintrigger.store.jdbc.JdbcDecisionLog;
import io.retraintrigger.store.jdbc.JdbcPipelineSteps;
import io.retraintrigger.store.jdbc.JdbcPool;
import io.retraintrigger.testing.TestConfig;
import io.retraintrigger.wiring.Producers;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The drift severity router of {@code routes/drift.yaml}, without Quarkus: the route file as built into the
 * jar, loaded into a plain CamelContext with the real drift service and coordinator on an H2 store. What
 * the router does not own is a test route: {@code direct:coordinate} decides with the coordinator (as
 * {@code coordinator.yaml} does) and every decision and notification ends in a mock endpoint.
 */
class DriftRouterTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    private static AgroalDataSource dataSource;
    private static CamelContext camel;
    private static ProducerTemplate send;

    @BeforeAll
    static void start() throws Exception {
        dataSource = JdbcPool.open("jdbc:h2:mem:drift_router_" + UUID.randomUUID().toString().replace("-", "")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", null, null, 4);
        Producers.migrate(dataSource);
        PipelineRegistry pipelines = new PipelineRegistry(TestConfig.retrainConfig(Map.of(
                "retrain.pipelines.low.target", "dry-run",
                "retrain.pipelines.medium.target", "dry-run",
                "retrain.pipelines.medium-off.drift.auto-retrain", "false",
                "retrain.pipelines.high.target", "dry-run",
                "retrain.pipelines.critical.target", "dry-run",
                "retrain.pipelines.feature.drift.features.amount.critical", "0.9")));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        RetrainMetrics metrics = new RetrainMetrics(new SimpleMeterRegistry());
        Coordinator coordinator = new Coordinator(new JdbcPipelineSteps(dataSource), new JdbcDecisionLog(dataSource),
                new JdbcApprovalLog(dataSource), pipelines, clock, metrics);

        camel = new DefaultCamelContext();
        camel.getRegistry().bind("driftService", new DriftService(pipelines, coordinator, metrics, clock));
        camel.getRegistry().bind("coordinator", coordinator);
        camel.getRegistry().bind("sinkAttributes", new SinkAttributes());
        Properties properties = new Properties();
        properties.setProperty("retrain.notify.uri", "mock:notify");
        camel.getPropertiesComponent().setInitialProperties(properties);
        var routes = PluginHelper.getResourceLoader(camel);
        PluginHelper.getRoutesLoader(camel).loadRoutes(routes.resolveResource("classpath:routes/route-configurations.yaml"),
                routes.resolveResource("classpath:routes/drift.yaml"), routes.resolveResource("classpath:routes/sinks.yaml"));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:coordinate").routeId("test-coordinate")
                        .bean("coordinator", "decide(${body}, ${exchangeProperty.RetrainDecisionId})")
                        .to("mock:decided");
                from("direct:decided").routeId("test-decided").to("mock:decided");
            }
        });
        camel.start();
        send = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() throws Exception {
        if (camel != null) camel.close();
        if (dataSource != null) dataSource.close();
    }

    @BeforeEach
    void resetMocks() {
        MockEndpoint.resetMocks(camel);
    }

    /** Sends a drift alert as triage does (its decision id in a property) and returns the decision it ended in. */
    private static Decision alert(String pipeline, String feature, double score) {
        String decisionId = UUID.randomUUID().toString();
        TriggerEvent event = TriggerEvent.driftAlert(UUID.randomUUID().toString(), Cloud.LOCAL, "test", pipeline, NOW,
                List.of(new FeatureScore(feature, score)), null);
        Exchange done = send.request("direct:drift", e -> {
            e.getMessage().setBody(event);
            e.setProperty("RetrainDecisionId", decisionId);
        });
        if (done.getException() != null) throw new AssertionError("the router failed", done.getException());
        List<Exchange> decided = camel.getEndpoint("mock:decided", MockEndpoint.class).getExchanges();
        assertEquals(1, decided.size(), "one decision per alert");
        Decision d = assertInstanceOf(Decision.class, decided.get(0).getMessage().getBody());
        assertEquals(decisionId, d.id(), "the decision takes the id triage gave it");
        return d;
    }

    private static List<String> notifications() {
        return camel.getEndpoint("mock:notify", MockEndpoint.class).getExchanges().stream()
                .map(e -> e.getMessage().getBody(String.class)).toList();
    }

    @Test
    void lowDriftIsLoggedWithoutNotification() {
        Decision d = alert("low", "amount", 0.05);
        assertEquals(Outcome.LOGGED, d.outcome());
        assertTrue(d.reasons().get(0).startsWith("drift_low:"), d.reasons().toString());
        assertEquals(List.of(), notifications());
    }

    @Test
    void mediumDriftAsksForATrainingOfPriority3() {
        Decision d = alert("medium", "amount", 0.1);
        assertEquals(Outcome.LAUNCHED, d.outcome());
        assertEquals(3, d.priority());
        TrainingRequest r = d.request();
        assertEquals(false, r.metadata().requireApproval());
        assertEquals(List.of(), notifications());
    }

    @Test
    void mediumDriftIsOnlyLoggedWithoutAutoRetrain() {
        Decision d = alert("medium-off", "amount", 0.2);
        assertEquals(Outcome.LOGGED, d.outcome());
        assertTrue(d.reasons().get(0).contains("auto-retrain is off"), d.reasons().toString());
    }

    @Test
    void highDriftAsksForATrainingThatRequiresApprovalAndNotifies() {
        Decision d = alert("high", "amount", 0.3);
        assertEquals(Outcome.LAUNCHED, d.outcome());
        assertEquals(2, d.priority());
        assertEquals(true, d.request().metadata().requireApproval());
        List<String> sent = notifications();
        assertEquals(1, sent.size());
        assertTrue(sent.get(0).contains("\"type\":\"drift.retrain_requires_approval\""), sent.get(0));
        assertTrue(sent.get(0).contains("\"decisionId\":\"" + d.id() + "\""), sent.get(0));
    }

    @Test
    void criticalDriftOpensAReviewInsteadOfTrainingAndNotifies() {
        Decision d = alert("critical", "amount", 0.5);
        assertEquals(Outcome.AWAITING_APPROVAL, d.outcome());
        assertEquals(null, d.launch());
        List<String> sent = notifications();
        assertEquals(1, sent.size());
        assertTrue(sent.get(0).contains("\"type\":\"drift.review_required\""), sent.get(0));
    }

    @Test
    void aFeatureThresholdOverridesThePipelines() {
        // amount's own critical threshold is 0.9: 0.6 is only high for it
        Decision d = alert("feature", "amount", 0.6);
        assertEquals(Outcome.LAUNCHED, d.outcome());
        assertEquals(2, d.priority());
    }

    @Test
    void anAlertWithoutAScoreIsRefusedToTheCaller() {
        TriggerEvent event = TriggerEvent.driftAlert(UUID.randomUUID().toString(), Cloud.LOCAL, "test", "low", NOW, List.of(), "log-query");
        Exchange done = send.request("direct:drift", e -> e.getMessage().setBody(event));
        assertTrue(String.valueOf(done.getException()).contains("carries no feature score"), String.valueOf(done.getException()));
        assertEquals(0, camel.getEndpoint("mock:decided", MockEndpoint.class).getExchanges().size());
    }
}
