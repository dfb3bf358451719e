package io.retraintrigger.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** S3-compatible server (s3rver, files in a temporary directory) for @QuarkusTest: points retrain.aws.endpoints.s3 at it. */
public class S3rverResource implements QuarkusTestResourceLifecycleManager {
    /** s3rver's own account (key id and secret): it refuses requests signed with others. */
    public static final String ACCESS_KEY = "S3RVER";
    private NodeEmulator s3rver;

    public static NodeEmulator startS3rver() {
        try {
            Path dir = Files.createTempDirectory("s3rver");
            return NodeEmulator.start("s3rver", "s3rver/bin/s3rver.js", "--address", "127.0.0.1", "--port", "{port}", "--directory", dir.toString(), "--silent");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        s3rver = startS3rver();
        return Map.of(
                "retrain.aws.endpoints.s3", s3rver.url(),
                "retrain.aws.s3-path-style", "true",
                "retrain.aws.region", "us-east-1",
                "retrain.aws.access-key-id", ACCESS_KEY,
                "retrain.aws.secret-access-key", ACCESS_KEY);
    }

    @Override
    public void stop() {
        if (s3rver != null) s3rver.close();
    }
}
