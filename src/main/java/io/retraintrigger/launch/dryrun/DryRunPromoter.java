package io.retraintrigger.launch.dryrun;

import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.ModelPromoter;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.EvaluationReport;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;

/** Promotes nothing: logs and records what a registry would have been sent. A report without a model is refused, as a registry would. */
@ApplicationScoped
public class DryRunPromoter implements ModelPromoter {
    private static final Logger LOG = Logger.getLogger(DryRunPromoter.class);

    @Override
    public String target() {
        return DryRunLauncher.TARGET;
    }

    @Override
    public Map<String, String> promote(PipelineSettings pipeline, Decision decision, EvaluationReport report) {
        if (report.model() == null || report.model().isBlank()) {
            throw new LaunchRejectedException("the evaluation report names no model to promote (model)", null);
        }
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("model", report.model());
        sent.put("stage", "champion");
        LOG.infof("[dry-run] would promote model %s of pipeline %s (decision %s)", report.model(), pipeline.name(), decision.id());
        return sent;
    }
}
