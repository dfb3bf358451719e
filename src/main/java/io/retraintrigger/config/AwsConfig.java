package io.retraintrigger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

import java.net.URI;
import java.util.Optional;

/**
 * AWS: the SQS source and the SDK clients. Credentials and region come from the SDK's default
 * chains (environment, profile, web identity, container/instance role) unless set here.
 */
@ConfigMapping(prefix = "retrain.aws")
public interface AwsConfig {

    /** Region of every AWS client; the SDK's default region chain when absent. */
    Optional<String> region();

    /** Static credentials, for emulators and development only (from the environment). */
    @WithName("access-key-id")
    Optional<String> accessKeyId();

    @WithName("secret-access-key")
    Optional<String> secretAccessKey();

    /** Endpoint overrides per service (emulators, VPC endpoints): sqs, s3, dynamodb, sagemaker, eventbridge, sns. */
    Endpoints endpoints();

    interface Endpoints {
        Optional<URI> sqs();

        Optional<URI> s3();

        Optional<URI> dynamodb();

        Optional<URI> sagemaker();

        Optional<URI> eventbridge();

        Optional<URI> sns();
    }

    /** S3 path-style addressing (needed by S3 emulators). */
    @WithName("s3-path-style")
    boolean s3PathStyle();
}
