package io.retraintrigger.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the state store answers: without it no decision can be taken or recorded. */
@Readiness
@ApplicationScoped
public class StoreHealthCheck implements HealthCheck {
    /** A pipeline no configuration can name (names are checked at startup): reading it reads the store and finds nothing. */
    static final String PROBE = "#health";

    private final PipelineSteps steps;
    private final DeadLetterStore deadLetters;

    @Inject
    public StoreHealthCheck(PipelineSteps steps, DeadLetterStore deadLetters) {
        this.steps = steps;
        this.deadLetters = deadLetters;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            steps.pipelineState(PROBE);
            return HealthCheckResponse.named("state-store").up().withData("dead-letters", deadLetters.deadLetterCount()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("state-store").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
