package io.retraintrigger.launch.dryrun;

import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.launch.PipelineLauncher;
import io.retraintrigger.launch.Submission;
import io.retraintrigger.model.Decision;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Launches nothing: the decision (already recorded with its parameters) is the record of what
 * would have been launched. The execution id is derived from the decision id, so it is idempotent.
 */
@ApplicationScoped
public class DryRunLauncher implements PipelineLauncher {
    public static final String TARGET = "dry-run";
    private static final Logger LOG = Logger.getLogger(DryRunLauncher.class);

    @Override
    public String target() {
        return TARGET;
    }

    @Override
    public Submission launch(PipelineSettings pipeline, Decision decision) {
        LOG.infof("dry-run: would launch pipeline %s for decision %s with %s", pipeline.name(), decision.id(), decision.launch().parameters());
        return new Submission("dry-run-" + decision.id(), decision.launch().parameters());
    }
}
