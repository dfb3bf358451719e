package io.retraintrigger.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** WireMock as Cloud Storage's JSON API for @QuarkusTest: points retrain.gcp.storage-endpoint at it; a test stubs the objects. */
public class GcsWireMockResource implements QuarkusTestResourceLifecycleManager {
    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return Map.of("retrain.gcp.storage-endpoint", "http://127.0.0.1:" + server.port());
    }

    @Override
    public void stop() {
        if (server != null) server.stop();
        server = null;
    }
}
