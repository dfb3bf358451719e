package io.retraintrigger.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * WireMock on a free loopback port standing in for the AWS JSON APIs (EventBridge, SageMaker) of a
 * @QuarkusTest: points retrain.aws.endpoints.eventbridge and .sagemaker at it, with static credentials
 * and a region. PutEvents answers success; a test adds its own stubs. The server is injected into a
 * test's field annotated {@link InjectWireMock}.
 */
public class WireMockResource implements QuarkusTestResourceLifecycleManager {
    public static final String JSON_11 = "application/x-amz-json-1.1";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectWireMock {
    }

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSEvents.PutEvents"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON_11)
                        .withBody("{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"11111111-2222-3333-4444-555555555555\"}]}")));
        // SNS speaks the query protocol: form-encoded Action=Publish, XML answer
        server.stubFor(post(urlEqualTo("/")).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("Action=Publish"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withBody("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                                + "<MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult>"
                                + "<ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata></PublishResponse>")));
        String url = "http://127.0.0.1:" + server.port();
        return Map.of(
                "retrain.aws.endpoints.eventbridge", url,
                "retrain.aws.endpoints.sagemaker", url,
                "retrain.aws.endpoints.sns", url,
                "retrain.aws.region", "us-east-1",
                // the credentials (and region) of ElasticMqResource, which runs beside it in AwsProfile
                // the same as S3rverResource's, which s3rver checks, so that the three can share a profile
                "retrain.aws.access-key-id", S3rverResource.ACCESS_KEY,
                "retrain.aws.secret-access-key", S3rverResource.ACCESS_KEY);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) server.stop();
    }
}
