package io.retraintrigger.launch.azureml;

import com.azure.core.http.HttpMethod;
import io.retraintrigger.launch.DataManifest;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.ManifestStore;

import java.util.Map;

/**
 * Manifests on Blob Storage ({@code https://<account>.blob.core.windows.net/<container>[/<prefix>]}), as
 * Azure ML pipelines read them: Put Blob with a bearer token of the Storage scope.
 */
final class BlobManifests implements ManifestStore {
    private final AzureRest rest;

    BlobManifests(AzureRest rest) {
        this.rest = rest;
    }

    @Override
    public String put(String location, String name, byte[] json) {
        if (!AzureMlLauncher.BLOB_URI.matcher(location).matches()) {
            throw new LaunchRejectedException("manifest location " + location + " is not an https://<account>.blob.core.windows.net/<container>[/<prefix>] URL", null);
        }
        String url = location.replaceAll("/+$", "") + "/" + DataManifest.objectName(null, AzureMlLauncher.segment(name));
        String what = "Blob Storage (manifest " + url + ")";
        AzureRest.Answer r = rest.send(what, AzureMlLauncher.STORAGE_SCOPE, HttpMethod.PUT, url,
                Map.of("x-ms-version", AzureMlLauncher.BLOB_SERVICE_VERSION, "x-ms-blob-type", "BlockBlob", "Content-Type", "application/json"), json);
        if (r.status() != 201 && r.status() != 200) throw AzureRest.refusal(what, r);
        return url;
    }
}
