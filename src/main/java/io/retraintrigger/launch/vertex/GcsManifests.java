package io.retraintrigger.launch.vertex;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.retraintrigger.launch.DataManifest;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.ManifestStore;
import io.retraintrigger.launch.RetryableLaunchException;

import java.util.function.Supplier;

/** Manifests on Cloud Storage ({@code gs://bucket[/prefix]}), as Vertex AI pipelines read them. */
final class GcsManifests implements ManifestStore {
    private final Supplier<Storage> storage;

    /** @param storage the Cloud Storage client, made when first needed */
    GcsManifests(Supplier<Storage> storage) {
        this.storage = storage;
    }

    @Override
    public String put(String location, String name, byte[] json) {
        DataManifest.Location at = DataManifest.locate(VertexLauncher.GCS_LOCATION, location, name, "a gs://bucket/prefix URI");
        String uri = "gs://" + at.bucket() + "/" + at.object();
        Storage gcs;
        try {
            gcs = storage.get();
        } catch (RuntimeException e) {
            throw new RetryableLaunchException("Cloud Storage client unavailable for manifest " + uri + ": " + e.getMessage(), e);
        }
        try {
            gcs.create(BlobInfo.newBuilder(at.bucket(), at.object()).setContentType("application/json").build(), json);
        } catch (StorageException e) {
            throw classify("Cloud Storage (manifest " + uri + ")", e);
        }
        return uri;
    }

    /** Network failures (code 0), 408, 429 and 5xx are worth retrying; any other refusal is final. */
    static RuntimeException classify(String service, StorageException e) {
        int code = e.getCode();
        String text = service + " " + (code == 0 ? "unreachable" : "HTTP " + code + (e.getReason() == null ? "" : " " + e.getReason())) + ": " + e.getMessage();
        boolean retryable = code == 0 || code == 408 || code == 429 || code >= 500;
        return retryable ? new RetryableLaunchException(text, e) : new LaunchRejectedException(text, e);
    }
}
