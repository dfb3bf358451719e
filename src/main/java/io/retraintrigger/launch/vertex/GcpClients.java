package io.retraintrigger.launch.vertex;

import com.google.api.gax.core.BackgroundResource;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ClientSettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.aiplatform.v1.ModelServiceClient;
import com.google.cloud.aiplatform.v1.ModelServiceSettings;
import com.google.cloud.aiplatform.v1.PipelineServiceClient;
import com.google.cloud.aiplatform.v1.PipelineServiceSettings;
import io.grpc.ManagedChannelBuilder;
import io.retraintrigger.config.GcpConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Google Cloud SDK clients, made lazily (nothing Google is created unless something uses it).
 * Credentials are Application Default Credentials (workload identity, GOOGLE_APPLICATION_CREDENTIALS),
 * except toward an endpoint named for tests, which gets none.
 */
@ApplicationScoped
public class GcpClients {

    @Produces
    @Singleton
    @Named("vertexPipelineClients")
    VertexPipelineClients vertexPipelineClients(GcpConfig gcp) {
        return new VertexPipelineClients(gcp.vertexEndpoint());
    }

    void close(@Disposes VertexPipelineClients c) {
        c.close();
    }

    @Produces
    @Singleton
    VertexModelClients vertexModelClients(GcpConfig gcp) {
        return new VertexModelClients(gcp.vertexEndpoint());
    }

    void close(@Disposes VertexModelClients c) {
        c.close();
    }

    @Produces
    @Singleton
    @Named("gcsStorage")
    GcsStorage gcsStorage(GcpConfig gcp) {
        return new GcsStorage(gcp.storageEndpoint(), gcp.projectId());
    }

    void close(@Disposes GcsStorage s) {
        s.close();
    }

    /** {@code <region>-aiplatform.googleapis.com:443}: Vertex AI is served per region. */
    public static String vertexEndpoint(String region) {
        return region + "-aiplatform.googleapis.com:443";
    }

    /** 3 attempts of at most 15 s within 45 s, backoff from 500 ms. */
    private static final RetrySettings RETRY = RetrySettings.newBuilder()
            .setMaxAttempts(3)
            .setInitialRetryDelayDuration(Duration.ofMillis(500))
            .setRetryDelayMultiplier(2.0)
            .setMaxRetryDelayDuration(Duration.ofSeconds(5))
            .setInitialRpcTimeoutDuration(Duration.ofSeconds(15))
            .setRpcTimeoutMultiplier(1.0)
            .setMaxRpcTimeoutDuration(Duration.ofSeconds(15))
            .setTotalTimeoutDuration(Duration.ofSeconds(45))
            .build();
    private static final StatusCode.Code[] RETRYABLE = {StatusCode.Code.UNAVAILABLE, StatusCode.Code.RESOURCE_EXHAUSTED, StatusCode.Code.DEADLINE_EXCEEDED};

    /**
     * Launch calls (CreatePipelineJob, GetPipelineJob): the generated defaults have no timeout and no
     * retry. Here: {@link #RETRY} on UNAVAILABLE, RESOURCE_EXHAUSTED and DEADLINE_EXCEEDED. A retried create
     * is safe: it carries the same pipelineJobId, so one that reached Vertex answers ALREADY_EXISTS. Longer
     * outages are retried by the launch route (retrain.launch.max-retries) and then the resend timer.
     */
    public static PipelineServiceSettings.Builder launchSettings(PipelineServiceSettings.Builder builder) {
        builder.createPipelineJobSettings().setRetrySettings(RETRY).setRetryableCodes(RETRYABLE);
        builder.getPipelineJobSettings().setRetrySettings(RETRY).setRetryableCodes(RETRYABLE);
        return builder;
    }

    /** Promotion calls (GetModel, MergeVersionAliases), retried as the launch calls: both are safe to repeat. */
    public static ModelServiceSettings.Builder promotionSettings(ModelServiceSettings.Builder builder) {
        builder.getModelSettings().setRetrySettings(RETRY).setRetryableCodes(RETRYABLE);
        builder.mergeVersionAliasesSettings().setRetrySettings(RETRY).setRetryableCodes(RETRYABLE);
        return builder;
    }

    /**
     * Clients of a regional Vertex AI service, one per region, made on first use and closed at shutdown.
     * With {@code retrain.gcp.vertex-endpoint} every region's client talks plain text to that host:port
     * without credentials (tests, emulators).
     */
    public static class RegionalClients<B extends ClientSettings.Builder<?, B>, C extends BackgroundResource> implements Function<String, C>, AutoCloseable {
        private static final Logger LOG = Logger.getLogger(RegionalClients.class);

        /** Makes a client of its settings. */
        @FunctionalInterface
        public interface Make<B, C> {
            C make(B settings) throws IOException;
        }

        private final String service;
        private final Optional<String> endpointOverride;
        private final Supplier<B> settings;
        private final Make<B, C> make;
        private final Map<String, C> byRegion = new ConcurrentHashMap<>();

        public RegionalClients(String service, Optional<String> endpointOverride, Supplier<B> settings, Make<B, C> make) {
            this.service = service;
            this.endpointOverride = endpointOverride.filter(e -> !e.isBlank());
            this.settings = settings;
            this.make = make;
        }

        /** @throws UncheckedIOException the client could not be made (no Application Default Credentials ...) */
        @Override
        public C apply(String region) {
            return byRegion.computeIfAbsent(region, this::create);
        }

        private C create(String region) {
            B b = settings.get();
            if (endpointOverride.isPresent()) {
                b.setEndpoint(endpointOverride.get())
                        .setCredentialsProvider(NoCredentialsProvider.create())
                        .setTransportChannelProvider(InstantiatingGrpcChannelProvider.newBuilder()
                                .setEndpoint(endpointOverride.get())
                                .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                                .build());
            } else {
                b.setEndpoint(vertexEndpoint(region));
            }
            try {
                C client = make.make(b);
                LOG.infof("vertex: %s client for %s at %s", service, region, endpointOverride.orElse(vertexEndpoint(region)));
                return client;
            } catch (IOException e) {
                throw new UncheckedIOException("Vertex AI " + service + " client for region " + region + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            byRegion.values().forEach(BackgroundResource::shutdown);
            byRegion.clear();
        }
    }

    /** PipelineService clients (launches). */
    public static class VertexPipelineClients extends RegionalClients<PipelineServiceSettings.Builder, PipelineServiceClient> {
        public VertexPipelineClients(Optional<String> endpointOverride) {
            super("PipelineService", endpointOverride, () -> launchSettings(PipelineServiceSettings.newBuilder()),
                    b -> PipelineServiceClient.create(b.build()));
        }
    }

    /** ModelService clients (promotions in the Model Registry). */
    public static class VertexModelClients extends RegionalClients<ModelServiceSettings.Builder, ModelServiceClient> {
        public VertexModelClients(Optional<String> endpointOverride) {
            super("ModelService", endpointOverride, () -> promotionSettings(ModelServiceSettings.newBuilder()),
                    b -> ModelServiceClient.create(b.build()));
        }
    }

    /**
     * The Cloud Storage client (JSON API over HTTP), made on first use and closed at shutdown. With
     * {@code retrain.gcp.storage-endpoint} it talks to that base URL without credentials (tests, emulators).
     * Timeouts: 10 s to connect, 30 s to read.
     */
    public static class GcsStorage implements Supplier<Storage>, AutoCloseable {
        private static final Logger LOG = Logger.getLogger(GcsStorage.class);
        private static final int CONNECT_TIMEOUT_MS = 10_000;
        private static final int READ_TIMEOUT_MS = 30_000;
        private final Optional<String> endpointOverride;
        private final Optional<String> projectId;
        private Storage storage;

        public GcsStorage(Optional<String> endpointOverride, Optional<String> projectId) {
            this.endpointOverride = endpointOverride.filter(e -> !e.isBlank());
            this.projectId = projectId.filter(p -> !p.isBlank());
        }

        /** @throws RuntimeException the client could not be made */
        @Override
        public synchronized Storage get() {
            if (storage == null) {
                StorageOptions.Builder b = StorageOptions.http().setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout(CONNECT_TIMEOUT_MS).setReadTimeout(READ_TIMEOUT_MS).build());
                // a project id is not needed to write objects; set, it spares the SDK from looking for one
                projectId.ifPresent(b::setProjectId);
                if (endpointOverride.isPresent()) {
                    b.setHost(endpointOverride.get()).setCredentials(NoCredentials.getInstance());
                    if (projectId.isEmpty()) b.setProjectId("retrain-trigger-test");
                }
                storage = b.build().getService();
                LOG.infof("gcs: Cloud Storage client at %s", endpointOverride.orElse("https://storage.googleapis.com"));
            }
            return storage;
        }

        @Override
        public synchronized void close() {
            if (storage != null) {
                try {
                    storage.close();
                } catch (Exception e) {
                    LOG.debugf("gcs: closing the Cloud Storage client: %s", e.getMessage());
                }
                storage = null;
            }
        }
    }
}
