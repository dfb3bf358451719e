package io.retraintrigger.api;

import io.retraintrigger.model.BadInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;

import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;

/** GET /api/routes and POST /api/routes/{id}/{action}: route statistics and control. */
@ApplicationScoped
@Named("routeControl")
public class RouteControl {
    private final CamelContext camel;

    @Inject
    public RouteControl(CamelContext camel) {
        this.camel = camel;
    }

    public List<RouteView> list() {
        return camel.getRoutes().stream()
                .sorted(Comparator.comparing(Route::getRouteId))
                .map(r -> view(r.getRouteId()))
                .toList();
    }

    public RouteView view(String id) {
        Route route = camel.getRoute(id);
        if (route == null) throw new NoSuchElementException("unknown route '" + id + "'");
        String state = camel.getRouteController().getRouteStatus(id).name();
        String from = route.getEndpoint().getEndpointBaseUri();
        ManagedRouteMBean m = managed(id);
        if (m == null) return new RouteView(id, state, route.getUptimeMillis(), from, null, null, null, null, null, null, null);
        RouteView.Failure failure = m.getLastExchangeFailureTimestamp() == null ? null
                : new RouteView.Failure(m.getLastExchangeFailureTimestamp().toInstant().toString(), m.getLastExchangeFailureExchangeId());
        return new RouteView(id, state, route.getUptimeMillis(), from, m.getExchangesTotal(), m.getExchangesFailed(),
                (long) m.getExchangesInflight(), m.getMeanProcessingTime(), m.getMaxProcessingTime(), m.getLastProcessingTime(), failure);
    }

    public RouteView control(String id, String action) throws Exception {
        if (camel.getRoute(id) == null) throw new NoSuchElementException("unknown route '" + id + "'");
        var controller = camel.getRouteController();
        switch (action) {
            case "start" -> controller.startRoute(id);
            case "stop" -> controller.stopRoute(id);
            case "suspend" -> controller.suspendRoute(id);
            case "resume" -> controller.resumeRoute(id);
            default -> throw new BadInputException(404, "unknown action '" + action + "'; actions: start, stop, suspend, resume");
        }
        return view(id);
    }

    private ManagedRouteMBean managed(String id) {
        ManagedCamelContext mcc = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        return mcc == null ? null : mcc.getManagedRoute(id);
    }
}
