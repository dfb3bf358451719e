package io.retraintrigger.wiring;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import io.retraintrigger.config.AzureConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;

/**
 * Azure clients, made once and lazily: nothing Azure is created unless something uses it (the bean is
 * behind a client proxy, so the credential is built at its first token request).
 */
@ApplicationScoped
public class AzureClients {

    /**
     * Microsoft Entra ID tokens for the Azure REST APIs (Resource Manager, Blob Storage):
     * {@code DefaultAzureCredential} (environment, workload identity, managed identity, then developer
     * tools), pinned to the user-assigned managed identity of {@code retrain.azure.managed-identity-client-id}
     * when set. Tests replace it with their own {@link TokenCredential}.
     */
    @Produces
    @ApplicationScoped
    @Named("azureCredential")
    TokenCredential azureCredential(AzureConfig azure) {
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
        azure.managedIdentityClientId().map(String::trim).filter(id -> !id.isEmpty()).ifPresent(builder::managedIdentityClientId);
        return builder.build();
    }
}
