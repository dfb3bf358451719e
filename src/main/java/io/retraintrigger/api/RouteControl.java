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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    public List<Map<String, Object>> list() {
        return camel.getRoutes().stream()
                .sorted(Comparator.comparing(Route::getRouteId))
                .map(r -> view(r.getRouteId()))
                .toList();
    }

    public Map<String, Object> view(String id) {
        Route route = camel.getRoute(id);
        if (route == null) throw new NoSuchElementException("unknown route '" + id + "'");
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("state", camel.getRouteController().getRouteStatus(id).name());
        v.put("uptimeMillis", route.getUptimeMillis());
        v.put("from", route.getEndpoint().getEndpointBaseUri());
        ManagedRouteMBean m = managed(id);
        if (m != null) {
            v.put("exchangesTotal", m.getExchangesTotal());
            v.put("exchangesFailed", m.getExchangesFailed());
            v.put("exchangesInflight", m.getExchangesInflight());
            v.put("meanProcessingMillis", m.getMeanProcessingTime());
            v.put("maxProcessingMillis", m.getMaxProcessingTime());
            v.put("lastProcessingMillis", m.getLastProcessingTime());
            if (m.getLastExchangeFailureTimestamp() != null) {
                Map<String, Object> failure = new LinkedHashMap<>();
                failure.put("at", m.getLastExchangeFailureTimestamp().toInstant().toString());
                failure.put("exchangeId", m.getLastExchangeFailureExchangeId());
                v.put("lastFailure", failure);
            } else {
                v.put("lastFailure", null);
            }
        }
        return v;
    }

    public Map<String, Object> control(String id, String action) throws Exception {
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
