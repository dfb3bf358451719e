package io.retraintrigger.ingest.azure;

import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.retraintrigger.api.TestApi;
import io.retraintrigger.testing.QuietLogs;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.azure.servicebus.CredentialType;
import org.apache.camel.component.azure.servicebus.ServiceBusConstants;
import org.apache.camel.component.azure.servicebus.ServiceBusEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.retraintrigger.api.TestApi.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Service Bus route with Microsoft's documented payloads, its consumer replaced by a direct endpoint. */
@QuarkusTest
@TestProfile(AzureProfile.class)
class AzureServiceBusRouteTest {
    private static final String IN = AzureProfile.IN;
    private static ServiceBusEndpoint configured;

    @Inject
    CamelContext camel;
    @Inject
    ProducerTemplate template;

    @BeforeEach
    void replaceConsumerOnce() throws Exception {
        configured = AzureProfile.replaceConsumer(camel);
    }

    private static String fixture(String name) {
        try (InputStream in = AzureServiceBusRouteTest.class.getResourceAsStream("/fixtures/azure/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message as the consumer hands it to the route: body, message id, application properties. */
    private Exchange receive(String body, Map<String, Object> applicationProperties) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setBody(body);
        e.getMessage().setHeader(ServiceBusConstants.MESSAGE_ID, UUID.randomUUID().toString());
        e.getMessage().setHeader(ServiceBusConstants.APPLICATION_PROPERTIES, applicationProperties);
        return template.send(IN, e);
    }

    @Test
    void theConsumerIsConfiguredForPeekLockOnTheQueueWithEntraId() {
        assertEquals(AzureProfile.QUEUE, configured.getConfiguration().getTopicOrQueueName());
        assertEquals(ServiceBusReceiveMode.PEEK_LOCK, configured.getConfiguration().getServiceBusReceiveMode());
        assertEquals(AzureProfile.NAMESPACE, configured.getConfiguration().getFullyQualifiedNamespace());
        assertEquals(CredentialType.TOKEN_CREDENTIAL, configured.getConfiguration().getCredentialType());
        assertNotNull(configured.getConfiguration().getTokenCredential(), "the azureCredential bean");
        assertEquals(false, configured.getConfiguration().isEnableDeadLettering(), "failures are abandoned, not dead-lettered");
    }

    @Test
    void blobCreatedIsRecordedInTheBatchBeforeTheMessageIsCompleted() {
        int before = openBatchEvents();
        Exchange done = receive(fixture("storage-blob-created-eventgrid.json"), Map.of());
        assertNull(done.getException(), "success: the consumer completes the message");
        assertNull(done.getProperty(io.retraintrigger.ingest.azure.ServiceBusSettlement.SETTLEMENT));
        assertEquals(before + 1, openBatchEvents(), "the event is in the batch when the exchange ends");
    }

    @Test
    void anUnparseableMessageIsDeadLetteredWithItsReason() {
        String body = "{\"not\": \"an event\"}";
        Exchange done = receive(body, Map.of());
        assertNull(done.getException(), "handled: not abandoned");
        String settlement = done.getProperty(io.retraintrigger.ingest.azure.ServiceBusSettlement.SETTLEMENT, String.class);
        assertNotNull(settlement, "the settlement bean ran");
        assertTrue(settlement.contains("unrecognized"), settlement);
        List<Map<String, Object>> letters = admin().get("/api/dead-letters?limit=1000").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> letter = letters.stream().filter(l -> body.equals(l.get("payload"))).findFirst().orElseThrow();
        assertEquals("azure-servicebus", letter.get("source"));
        assertEquals(422, letter.get("status"));
    }

    @Test
    void aProcessingFailureFailsTheExchangeSoTheMessageIsAbandoned() {
        int before = TestApi.decisions("az-sched").size();
        Exchange failed;
        // the failure while the coordinator is stopped is this test's: not on the console
        try (var quiet = QuietLogs.off(QuietLogs.CAMEL_ERROR_HANDLER, QuietLogs.CAMEL_QUARTZ_JOB)) {
            admin().post("/api/routes/coordinator/stop").then().statusCode(200);
            try {
                failed = receive(fixture("schedule-tick.json").replace("fraud", "az-sched"), Map.of());
            } finally {
                admin().post("/api/routes/coordinator/start").then().statusCode(200);
            }
        }
        assertNotNull(failed.getException(), "failed: the consumer abandons the message and Service Bus redelivers it");
        assertNull(failed.getProperty(io.retraintrigger.ingest.azure.ServiceBusSettlement.SETTLEMENT));
        // the redelivery succeeds (the failed attempt left no dedup key behind)
        Exchange again = template.send(IN, e -> {
            e.getMessage().setBody(fixture("schedule-tick.json").replace("fraud", "az-sched"));
            e.getMessage().setHeader(ServiceBusConstants.MESSAGE_ID, failed.getMessage().getHeader(ServiceBusConstants.MESSAGE_ID));
        });
        assertNull(again.getException());
        assertEquals(before + 1, TestApi.decisions("az-sched").size());
    }

    private static int openBatchEvents() {
        Integer n = admin().get("/api/pipelines/az-data").then().statusCode(200).extract().path("state.openBatch.events");
        return n == null ? 0 : n;
    }
}
