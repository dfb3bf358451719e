package io.retraintrigger.testing;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.quarkus.core.CamelRuntime;

/**
 * Starts Camel in the @QuarkusTest boots as the application's main does in the jar. The application has a main
 * of its own (wiring.RetrainMain: the service, or the backtest command), so Camel Quarkus leaves the start of
 * Camel to it, and a test boot runs no main: this does what RetrainMain's Quarkus.run(CamelMainApplication) does.
 * The packaged jar's own start is what CrashIT, ReplicaIT and AnyDirectoryIT run.
 */
@ApplicationScoped
public class CamelInTests {
    void start(@Observes StartupEvent started, CamelRuntime camel) {
        camel.start(new String[0]);
    }
}
