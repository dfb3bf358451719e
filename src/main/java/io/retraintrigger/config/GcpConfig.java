package io.retraintrigger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

import java.util.Optional;

/**
 * Google Cloud: project and endpoints of the clients. Credentials are Application Default Credentials
 * (workload identity, GOOGLE_APPLICATION_CREDENTIALS) unless a test endpoint is named. The Pub/Sub
 * consumers are configured as a Camel component (camel.component.google-pubsub.*).
 */
@ConfigMapping(prefix = "retrain.gcp")
public interface GcpConfig {

    @WithName("project-id")
    Optional<String> projectId();

    /** host:port of the Vertex AI API, for tests (plain text); default: <region>-aiplatform.googleapis.com:443. */
    @WithName("vertex-endpoint")
    Optional<String> vertexEndpoint();

    /**
     * Base URL of the Cloud Storage JSON API, for tests (e.g. http://127.0.0.1:8089, no credentials);
     * default: https://storage.googleapis.com. Cloud Storage holds the manifests of long data lists.
     */
    @WithName("storage-endpoint")
    Optional<String> storageEndpoint();
}
