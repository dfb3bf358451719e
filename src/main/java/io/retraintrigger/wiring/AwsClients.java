package io.retraintrigger.wiring;

import io.retraintrigger.config.AwsConfig;
import io.retraintrigger.config.ConfigurationError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The AWS SDK clients, made once and lazily (nothing AWS is created unless something uses it).
 * Camel's aws2-* components pick them up from the registry by type (autowiring).
 */
@ApplicationScoped
public class AwsClients {

    @Produces
    @ApplicationScoped
    @Named("sqsClient")
    SqsClient sqs(AwsConfig aws) {
        return configure(SqsClient.builder(), aws, aws.endpoints().sqs()).build();
    }

    @Produces
    @ApplicationScoped
    @Named("s3Client")
    S3Client s3(AwsConfig aws) {
        return configure(S3Client.builder(), aws, aws.endpoints().s3()).forcePathStyle(aws.s3PathStyle()).build();
    }

    @Produces
    @ApplicationScoped
    @Named("dynamoDbClient")
    DynamoDbClient dynamoDb(AwsConfig aws) {
        return configure(DynamoDbClient.builder(), aws, aws.endpoints().dynamodb()).build();
    }

    @Produces
    @ApplicationScoped
    @Named("sageMakerClient")
    SageMakerClient sageMaker(AwsConfig aws) {
        return configure(SageMakerClient.builder(), aws, aws.endpoints().sagemaker())
                .overrideConfiguration(launchClientConfiguration()).build();
    }

    /**
     * Launch clients (SageMaker): the SDK's standard retries, 3 attempts with jittered exponential
     * backoff (longer for throttling), ride out a blip; longer throttling or outages are retried by the
     * launch route (retrain.launch.max-retries, retry-delay) and then the resend timer, always with the
     * same ClientRequestToken. Bounded time per attempt and per call, so a hung connection is retried.
     */
    public static ClientOverrideConfiguration launchClientConfiguration() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).build())
                .apiCallAttemptTimeout(Duration.ofSeconds(15))
                .apiCallTimeout(Duration.ofSeconds(45))
                .build();
    }

    @Produces
    @ApplicationScoped
    @Named("eventBridgeClient")
    EventBridgeClient eventBridge(AwsConfig aws) {
        return configure(EventBridgeClient.builder(), aws, aws.endpoints().eventbridge()).build();
    }

    @Produces
    @ApplicationScoped
    @Named("snsClient")
    SnsClient sns(AwsConfig aws) {
        return configure(SnsClient.builder(), aws, aws.endpoints().sns()).build();
    }

    void close(@Disposes SnsClient c) {
        c.close();
    }

    void close(@Disposes SqsClient c) {
        c.close();
    }

    void close(@Disposes S3Client c) {
        c.close();
    }

    void close(@Disposes DynamoDbClient c) {
        c.close();
    }

    void close(@Disposes SageMakerClient c) {
        c.close();
    }

    void close(@Disposes EventBridgeClient c) {
        c.close();
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsConfig aws, Optional<URI> endpoint) {
        aws.region().map(Region::of).ifPresent(builder::region);
        builder.credentialsProvider(credentials(aws));
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }

    private static AwsCredentialsProvider credentials(AwsConfig aws) {
        if (aws.accessKeyId().isPresent() != aws.secretAccessKey().isPresent()) {
            throw new ConfigurationError("retrain.aws.access-key-id", "set both access-key-id and secret-access-key, or neither");
        }
        return aws.accessKeyId().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId().get(), aws.secretAccessKey().get()))
                : DefaultCredentialsProvider.builder().build();
    }
}
