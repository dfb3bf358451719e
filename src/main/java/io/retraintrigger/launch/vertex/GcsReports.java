package io.retraintrigger.launch.vertex;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.ReportReader;
import io.retraintrigger.launch.RetryableLaunchException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Evaluation reports on Cloud Storage ({@code gs://bucket/object}). */
@ApplicationScoped
public class GcsReports implements ReportReader {
    private static final Pattern GCS_OBJECT = Pattern.compile("gs://([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])/(.+)");
    private final Supplier<Storage> storage;

    @Inject
    public GcsReports(GcpClients.GcsStorage storage) {
        this((Supplier<Storage>) storage);
    }

    public GcsReports(Supplier<Storage> storage) {
        this.storage = storage;
    }

    @Override
    public boolean reads(String uri) {
        return uri.startsWith("gs://");
    }

    @Override
    public Optional<byte[]> read(String uri) {
        Matcher m = GCS_OBJECT.matcher(uri);
        if (!m.matches()) throw new LaunchRejectedException("'" + uri + "' is not a gs://bucket/object URI", null);
        Storage gcs;
        try {
            gcs = storage.get();
        } catch (RuntimeException e) {
            throw new RetryableLaunchException("Cloud Storage client unavailable for report " + uri + ": " + e.getMessage(), e);
        }
        try {
            return Optional.of(gcs.readAllBytes(BlobId.of(m.group(1), m.group(2))));
        } catch (StorageException e) {
            if (e.getCode() == 404) return Optional.empty();
            throw GcsManifests.classify("Cloud Storage (report " + uri + ")", e);
        }
    }
}
