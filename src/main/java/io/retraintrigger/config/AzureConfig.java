package io.retraintrigger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

import java.util.Optional;

/**
 * Azure: Entra ID tokens come from DefaultAzureCredential (managed identity, workload identity,
 * environment), optionally pinned to a user-assigned identity's client id.
 */
@ConfigMapping(prefix = "retrain.azure")
public interface AzureConfig {

    /** Client id of the user-assigned managed identity to use. */
    @WithName("managed-identity-client-id")
    Optional<String> managedIdentityClientId();

    /** Azure Resource Manager endpoint (the Azure ML jobs API lives under it); overridden in tests. */
    @WithName("resource-manager-endpoint")
    String resourceManagerEndpoint();

    /** Azure ML REST API version. */
    @WithName("ml-api-version")
    String mlApiVersion();
}
