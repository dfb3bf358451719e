package io.retraintrigger.launch;

/**
 * The object store a launcher writes the manifests of long data lists to (S3, Cloud Storage, Blob
 * Storage), each behind the launcher of its cloud.
 */
public interface ManifestStore {

    /**
     * Writes {@code json} as {@code <location>/manifests/<name>.json}, the same object again on a resend.
     *
     * @param location the configured manifest location of the pipeline (its form checked at startup)
     * @return the object's URI, as the pipeline reads it
     * @throws RetryableLaunchException the store is unreachable or throttling; try again later
     * @throws LaunchRejectedException  the store refused the object for good
     */
    String put(String location, String name, byte[] json);
}
