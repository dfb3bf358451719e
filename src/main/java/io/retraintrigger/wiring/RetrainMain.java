package io.retraintrigger.wiring;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.retraintrigger.backtest.BacktestCommand;
import org.apache.camel.quarkus.main.CamelMainApplication;

import java.util.Arrays;

/**
 * The entry point: the service, or with first argument {@code backtest} the backtest command, which replays
 * recorded events offline (its own in-memory store, no HTTP server, no queue) and exits.
 */
@QuarkusMain
public class RetrainMain {
    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("backtest")) {
            System.exit(BacktestCommand.run(Arrays.copyOfRange(args, 1, args.length), new ReplayWiring(), System.out, System.err));
        }
        Quarkus.run(CamelMainApplication.class, args);
    }
}
