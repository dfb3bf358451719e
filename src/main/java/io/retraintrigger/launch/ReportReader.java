package io.retraintrigger.launch;

import java.util.Optional;

/** Reads the evaluation report a training pipeline wrote to object storage. One adapter per URI scheme. */
public interface ReportReader {

    /** Whether this reader reads {@code uri} (its scheme: s3://, gs://, https://ACCOUNT.blob.core.windows.net/). */
    boolean reads(String uri);

    /**
     * @return the object's bytes; empty when there is no such object (yet)
     * @throws RetryableLaunchException the store cannot be read for now
     * @throws LaunchRejectedException  the store refuses for good (access denied, no such bucket)
     */
    Optional<byte[]> read(String uri);
}
