package io.retraintrigger.testing;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link FakeVertexPipelineService} served by a real gRPC (Netty, plain text) server on a free loopback
 * port, for a @QuarkusTest: points retrain.gcp.vertex-endpoint at it, so the application's own
 * PipelineService clients (GcpClients) talk to it over the network.
 */
public class FakeVertexResource implements QuarkusTestResourceLifecycleManager {
    private static final FakeVertexPipelineService SERVICE = new FakeVertexPipelineService();
    private static final FakeVertexModelService MODELS = new FakeVertexModelService();
    private Server server;

    /** The service behind the server: the requests it received, the jobs it made, failures to inject. */
    public static FakeVertexPipelineService service() {
        return SERVICE;
    }

    /** The ModelService behind the same server (the Model Registry: versions, aliases, the requests it received). */
    public static FakeVertexModelService models() {
        return MODELS;
    }

    @Override
    public Map<String, String> start() {
        SERVICE.reset();
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(SERVICE.definition())
                    .addService(MODELS.definition()).build().start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Vertex AI PipelineService: " + e.getMessage(), e);
        }
        return Map.of("retrain.gcp.vertex-endpoint", "127.0.0.1:" + server.getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
