package io.retraintrigger.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** DynamoDB emulator (dynalite, in memory) for @QuarkusTest: points retrain.aws.endpoints.dynamodb at it. */
public class DynaliteResource implements QuarkusTestResourceLifecycleManager {
    private NodeEmulator dynalite;

    public static NodeEmulator startDynalite() {
        return NodeEmulator.start("dynalite", "dynalite/cli.js", "--port", "{port}", "--host", "127.0.0.1", "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0");
    }

    @Override
    public Map<String, String> start() {
        dynalite = startDynalite();
        return Map.of(
                "retrain.aws.endpoints.dynamodb", dynalite.url(),
                "retrain.aws.region", "us-east-1",
                "retrain.aws.access-key-id", "test",
                "retrain.aws.secret-access-key", "test");
    }

    @Override
    public void stop() {
        if (dynalite != null) dynalite.close();
    }
}
