package io.retraintrigger.api;

import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

import java.util.Locale;
import java.util.Set;

/**
 * Which message headers leave in an HTTP answer, for every route that answers one (the API, the event
 * intake, their errors): only the API's own. platform-http writes every message header that its filter
 * lets through into the response, and a message's headers hold the request's headers and query
 * parameters: without this list, {@code GET /api/decisions?Set-Cookie=x%3Dy} answered with that cookie.
 * Set component-wide (camel.component.platform-http.header-filter-strategy); what comes in is filtered
 * as Camel's HTTP default does (no Camel* headers from outside).
 */
@Singleton
@Named("responseHeaders")
public class ResponseHeaders extends HttpHeaderFilterStrategy {
    /** Lower case: the headers the API sets itself. */
    static final Set<String> ALLOWED = Set.of("content-type", "retry-after");

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return super.applyFilterToCamelHeaders(name, value, exchange) || !ALLOWED.contains(name.toLowerCase(Locale.ROOT));
    }
}
