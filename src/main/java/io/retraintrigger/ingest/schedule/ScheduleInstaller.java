package io.retraintrigger.ingest.schedule;

import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.event.CamelContextStartedEvent;
import org.jboss.logging.Logger;

/** One route per scheduled pipeline, from the route template {@code schedule-tick} (routes/ingest-schedule.yaml). */
@ApplicationScoped
public class ScheduleInstaller {
    public static final String TEMPLATE = "schedule-tick";
    private static final Logger LOG = Logger.getLogger(ScheduleInstaller.class);

    private final PipelineRegistry pipelines;

    @Inject
    public ScheduleInstaller(PipelineRegistry pipelines) {
        this.pipelines = pipelines;
    }

    void install(@Observes CamelContextStartedEvent event) {
        CamelContext camel = event.getContext();
        for (PipelineSettings p : pipelines.all()) {
            p.schedule().ifPresent(cron -> {
                String id = TemplatedRouteBuilder.builder(camel, TEMPLATE)
                        .routeId("schedule-" + p.name())
                        .parameter("pipeline", p.name())
                        .parameter("cron", cron.trim().replaceAll("\\s+", "+"))
                        .add();
                LOG.infof("pipeline %s scheduled by route %s (cron %s, UTC)", p.name(), id, cron);
            });
        }
    }
}
