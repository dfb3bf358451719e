package io.retraintrigger.wiring;

import io.retraintrigger.backtest.BacktestCommand;

/**
 * The backtest command, a plain Java main over the packaged application's classes (no Quarkus boot, no HTTP
 * server, no queue): {@code java -cp 'target/quarkus-app/app/*:target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*'
 * io.retraintrigger.wiring.BacktestMain --events ... --config ...}. Not a {@code @QuarkusMain}: with one, Camel
 * Quarkus leaves the start of Camel to that main, which runs after the HTTP server is up, and the service
 * answered its first requests 500 (no consumer on direct:intake) while its routes were starting.
 */
public final class BacktestMain {
    private BacktestMain() {
    }

    public static void main(String... args) {
        System.exit(BacktestCommand.run(args, new ReplayWiring(), System.out, System.err));
    }
}
