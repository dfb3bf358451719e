package io.retraintrigger.launch.azureml;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpMethod;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.ReportReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluation reports on Blob Storage ({@code https://<account>.blob.core.windows.net/<container>/<blob>}, or an
 * emulator's or private endpoint's https URL): Get Blob with a bearer token of the Storage scope.
 */
@ApplicationScoped
public class BlobReports implements ReportReader {
    private final AzureRest rest;

    @Inject
    public BlobReports(@Named("azureCredential") TokenCredential credential) {
        this.rest = new AzureRest(credential, AzureMlLauncher.defaultHttpClient(), AzureMlLauncher.MAX_ATTEMPTS, AzureMlLauncher.MAX_RETRY_AFTER);
    }

    @Override
    public boolean reads(String uri) {
        return uri.startsWith("https://");
    }

    @Override
    public Optional<byte[]> read(String uri) {
        if (!AzureMlLauncher.BLOB_URI.matcher(uri).matches()) {
            throw new LaunchRejectedException("report " + uri + " is not an https://<account>.blob.core.windows.net/<container>/<blob> URL", null);
        }
        String what = "Blob Storage (report " + uri + ")";
        AzureRest.Answer r = rest.send(what, AzureMlLauncher.STORAGE_SCOPE, HttpMethod.GET, uri, Map.of("x-ms-version", AzureMlLauncher.BLOB_SERVICE_VERSION), null);
        if (r.status() == 404) return Optional.empty();
        if (r.status() != 200) throw AzureRest.refusal(what, r);
        return Optional.of(r.body().getBytes(StandardCharsets.UTF_8));
    }
}
