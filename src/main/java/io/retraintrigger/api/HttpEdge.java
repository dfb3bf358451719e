package io.retraintrigger.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Locale;
import java.util.Set;

/**
 * The refusals of the API that must come before the HTTP layer reads a body, answered with the API's
 * JSON error instead of the HTTP layer's bare page: a form-encoded or multipart body (the HTTP layer
 * would parse it into a map, and fail on a long field, before any route sees it: every POST of the API
 * takes JSON), a declared body over quarkus.http.limits.max-body-size, and a request line over
 * {@value #MAX_URI} characters. A route on the Quarkus router ahead of its body handler; its failure
 * handler answers a chunked body that the body handler cut at the limit. A request line over
 * quarkus.http.limits.max-initial-line-length, or a header block over max-header-size, is still refused by
 * the HTTP codec itself, before any route (a bare 414 or 431: Quarkus gives no hook there).
 */
@ApplicationScoped
public class HttpEdge {
    /** Longest URI (path and query) taken; the HTTP codec's own limit (max-initial-line-length) is set above it. */
    static final int MAX_URI = 8192;
    /** GET /api/events/export and the media types its REST DSL verb produces, with the ranges that take them. */
    static final String EXPORT = "/api/events/export";
    static final Set<String> EXPORT_TYPES = Set.of("*/*", "application/*", "application/x-ndjson", "application/json");

    private final long maxBody;

    @Inject
    public HttpEdge(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.maxBody = maxBody.asLongValue();
    }

    void register(@Observes Router router) {
        router.route("/api/*").order(Integer.MIN_VALUE).handler(this::check).failureHandler(this::bodyTooLarge);
    }

    /** A chunked body (no Content-Length to check first) that the body handler cut at the limit: the API's 413. */
    private void bodyTooLarge(RoutingContext ctx) {
        if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
            refuse(ctx, 413, "body too large: over the HTTP limit of " + maxBody + " bytes (quarkus.http.limits.max-body-size)");
        } else {
            ctx.next();
        }
    }

    private void check(RoutingContext ctx) {
        String uri = ctx.request().uri();
        if (uri.length() > MAX_URI) {
            refuse(ctx, 414, "URI too long: " + uri.length() + " characters, at most " + MAX_URI);
            return;
        }
        if (ctx.request().method() == HttpMethod.GET && ctx.normalizedPath().equals(EXPORT) && !acceptsExport(ctx.request().getHeader("Accept"))) {
            // the REST DSL's produces of the export: platform-http would answer this 406 with no body
            refuse(ctx, 406, "not acceptable: the export answers application/x-ndjson (errors application/json)");
            return;
        }
        if (ctx.request().method() == HttpMethod.POST) {
            String type = ctx.request().getHeader("Content-Type");
            String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            String length = ctx.request().getHeader("Content-Length");
            boolean body = ctx.request().getHeader("Transfer-Encoding") != null || (length != null && !length.trim().equals("0"));
            // an empty POST (no body to parse) goes on to authentication, whatever its declared type
            if (body && (media.equals("application/x-www-form-urlencoded") || media.startsWith("multipart/"))) {
                refuse(ctx, 415, "unsupported content type '" + media + "': send JSON (application/json; events also application/cloudevents+json)");
                return;
            }
            if (length != null) {
                try {
                    if (Long.parseLong(length.trim()) > maxBody) {
                        refuse(ctx, 413, "body too large: " + length.trim() + " bytes, the HTTP limit is " + maxBody + " (quarkus.http.limits.max-body-size)");
                        return;
                    }
                } catch (NumberFormatException e) {
                    refuse(ctx, 400, "invalid Content-Length");
                    return;
                }
            }
        }
        ctx.next();
    }

    /** An Accept header (absent: anything) that takes one of the export's media types. */
    static boolean acceptsExport(String accept) {
        if (accept == null || accept.isBlank()) return true;
        for (String range : accept.split(",")) {
            String media = range.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (EXPORT_TYPES.contains(media)) return true;
        }
        return false;
    }

    private static void refuse(RoutingContext ctx, int status, String error) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close")
                .end("{\"error\":\"" + error.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }
}
