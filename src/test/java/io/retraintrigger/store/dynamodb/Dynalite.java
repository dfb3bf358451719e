package io.retraintrigger.store.dynamodb;

import io.retraintrigger.testing.DynaliteResource;
import io.retraintrigger.testing.NodeEmulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.util.UUID;

/** One dynalite per test class, a client on it, and tables under a random prefix. */
final class Dynalite implements AutoCloseable {
    final NodeEmulator emulator;
    final DynamoDbClient client;
    final DynamoDbTables.Names tables;

    private Dynalite(NodeEmulator emulator, DynamoDbClient client, DynamoDbTables.Names tables) {
        this.emulator = emulator;
        this.client = client;
        this.tables = tables;
    }

    static Dynalite start() {
        NodeEmulator emulator = DynaliteResource.startDynalite();
        try {
            DynamoDbClient client = DynamoDbClient.builder()
                    .endpointOverride(URI.create(emulator.url()))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .build();
            DynamoDbTables.Names tables = DynamoDbTables.Names.withPrefix("t" + UUID.randomUUID().toString().substring(0, 8) + "-");
            DynamoDbTables.create(client, tables);
            return new Dynalite(emulator, client, tables);
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            emulator.close();
        }
    }
}
