package io.retraintrigger.launch.azureml;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.RetryStrategy;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.core.util.HttpClientOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.RetryableLaunchException;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure REST calls on azure-core's HTTP pipeline, one pipeline per token scope (Resource Manager for
 * jobs, Storage for manifests):
 * <ul>
 * <li>{@link BearerTokenAuthenticationPolicy}: the token is cached and fetched again before it expires;
 * a 401 with a {@code WWW-Authenticate} challenge is sent once more with a freshly fetched token.</li>
 * <li>{@link RetryPolicy}: 408, 429 and 5xx are sent again, {@link #maxAttempts} attempts in all, but only
 * when Azure says when (Retry-After in seconds or as an HTTP date, retry-after-ms, x-ms-retry-after-ms) and
 * that is at most {@link #maxRetryAfter}; the policy waits as Azure says. Anything else goes back to the
 * launch route, which retries with its own backoff: two layers of blind retries would multiply.</li>
 * <li>Timeouts of {@link HttpClientOptions} on azure-core's default HTTP client (Netty).</li>
 * </ul>
 */
final class AzureRest {
    static final Set<Integer> RETRYABLE_STATUS = Set.of(408, 429, 500, 502, 503, 504);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern XML_CODE = Pattern.compile("<Code>(.*?)</Code>", Pattern.DOTALL);
    private static final Pattern XML_MESSAGE = Pattern.compile("<Message>(.*?)</Message>", Pattern.DOTALL);

    /** A response read whole. */
    record Answer(int status, String body, HttpHeaders headers) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.getValue(HttpHeaderName.fromString(name)));
        }
    }

    private final TokenCredential credential;
    private final HttpClient client;
    private final int maxAttempts;
    private final Duration maxRetryAfter;
    private final Map<String, HttpPipeline> pipelines = new ConcurrentHashMap<>();

    AzureRest(TokenCredential credential, HttpClient client, int maxAttempts, Duration maxRetryAfter) {
        this.credential = new Guarded(credential);
        this.client = client;
        this.maxAttempts = maxAttempts;
        this.maxRetryAfter = maxRetryAfter;
    }

    static HttpClient defaultHttpClient(Duration connectTimeout, Duration responseTimeout) {
        return HttpClient.createDefault(new HttpClientOptions().setConnectTimeout(connectTimeout).setResponseTimeout(responseTimeout));
    }

    /**
     * Sends one request (retried as the class comment says) and returns the last answer, whatever its status.
     *
     * @throws RetryableLaunchException no token for the scope, or {@code service} unreachable
     */
    Answer send(String service, String scope, HttpMethod method, String url, Map<String, String> headers, byte[] body) {
        HttpRequest request = new HttpRequest(method, url);
        headers.forEach((k, v) -> request.setHeader(HttpHeaderName.fromString(k), v));
        if (body != null) request.setBody(body);
        try (HttpResponse r = pipeline(scope).sendSync(request, Context.NONE)) {
            BinaryData b = r.getBodyAsBinaryData();
            return new Answer(r.getStatusCode(), b == null ? "" : b.toString(), r.getHeaders());
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof NoToken n) {
                    throw new RetryableLaunchException("no Microsoft Entra token for " + scope + ": " + n.getMessage(), e);
                }
            }
            throw new RetryableLaunchException(service + " unreachable (" + method + " " + request.getUrl().getPath() + "): " + e, e);
        }
    }

    private HttpPipeline pipeline(String scope) {
        return pipelines.computeIfAbsent(scope, s -> new HttpPipelineBuilder()
                .httpClient(client)
                // retry first: each attempt goes through the authentication policy again
                .policies(new RetryPolicy(new WhenAzureSaysWhen()), new FreshTokenOnChallenge(credential, s, () -> pipelines.remove(s)))
                .build());
    }

    /** 408, 429, 5xx and 401 (azure-core has already answered its challenge) may pass later; any other refusal is final. */
    static RuntimeException refusal(String service, Answer r) {
        int status = r.status();
        String[] error = error(r);
        String text = service + " " + (error[0] != null ? error[0] : "HTTP " + status) + ": " + (error[1] != null ? error[1] : "HTTP " + status);
        if (RETRYABLE_STATUS.contains(status)) {
            String after = retryAfter(r.headers()).map(d -> " (Retry-After " + d.toSeconds() + "s)").orElse("");
            return new RetryableLaunchException(text + after, null);
        }
        if (status == 401) {
            return new RetryableLaunchException(text, null);
        }
        return new LaunchRejectedException(text, null);
    }

    /** {code, message}: ARM's {@code {"error":{"code","message"}}}, or Blob Storage's XML {@code <Error><Code><Message>}. */
    private static String[] error(Answer r) {
        String body = r.body() == null ? "" : r.body();
        String code = null;
        String message = null;
        try {
            JsonNode e = JSON.readTree(body).path("error");
            if (e.isObject()) {
                code = e.path("code").isTextual() ? e.path("code").asText() : null;
                message = e.path("message").isTextual() ? e.path("message").asText() : null;
            }
        } catch (IOException notJson) {
            Matcher c = XML_CODE.matcher(body);
            Matcher m = XML_MESSAGE.matcher(body);
            if (c.find()) code = c.group(1).trim();
            if (m.find()) message = m.group(1).trim().split("\\R")[0];
        }
        if (code == null) code = r.header("x-ms-error-code").orElse(null);
        if (message == null && !body.isBlank()) message = body.length() > 500 ? body.substring(0, 500) : body;
        return new String[]{code, message};
    }

    /**
     * Retry-After in seconds or as an HTTP date; else retry-after-ms / x-ms-retry-after-ms. Read here as
     * well as by {@link RetryPolicy} (whose own reader is azure-core's implementation package, not API):
     * the strategy needs it to decide whether to retry at all, and a refusal names it.
     */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        String v = headers.getValue(HttpHeaderName.RETRY_AFTER);
        if (v != null) {
            String s = v.trim();
            if (s.matches("\\d{1,9}")) return Optional.of(Duration.ofSeconds(Long.parseLong(s)));
            try {
                Duration d = Duration.between(OffsetDateTime.now(), ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        for (String h : List.of("retry-after-ms", "x-ms-retry-after-ms")) {
            String ms = headers.getValue(HttpHeaderName.fromString(h));
            if (ms != null && ms.trim().matches("\\d{1,12}")) return Optional.of(Duration.ofMillis(Long.parseLong(ms.trim())));
        }
        return Optional.empty();
    }

    /** Retries a retryable status only with a short enough Retry-After; exceptions go back to the launch route. */
    private final class WhenAzureSaysWhen implements RetryStrategy {
        @Override
        public int getMaxRetries() {
            return maxAttempts - 1;
        }

        @Override
        public Duration calculateRetryDelay(int retryAttempts) {
            return Duration.ZERO; // not reached: a retry is only decided with a Retry-After, which the policy honours
        }

        @Override
        public boolean shouldRetryCondition(RequestRetryCondition condition) {
            HttpResponse r = condition.getResponse();
            if (r == null || !RETRYABLE_STATUS.contains(r.getStatusCode())) return false;
            Optional<Duration> wait = retryAfter(r.getHeaders());
            return wait.isPresent() && wait.get().compareTo(maxRetryAfter) <= 0;
        }
    }

    /**
     * Answers a 401 challenge with a token fetched again (the cached one may have been revoked), and
     * drops the pipeline of the scope, whose cache holds the refused token: the next call builds a new one.
     */
    private static final class FreshTokenOnChallenge extends BearerTokenAuthenticationPolicy {
        private final TokenCredential credential;
        private final String scope;
        private final Runnable dropCache;

        FreshTokenOnChallenge(TokenCredential credential, String scope, Runnable dropCache) {
            super(credential, scope);
            this.credential = credential;
            this.scope = scope;
            this.dropCache = dropCache;
        }

        @Override
        public Mono<Boolean> authorizeRequestOnChallenge(HttpPipelineCallContext context, HttpResponse response) {
            dropCache.run();
            return credential.getToken(new TokenRequestContext().addScopes(scope))
                    .map(t -> {
                        context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + t.getToken());
                        return true;
                    });
        }

        @Override
        public boolean authorizeRequestOnChallengeSync(HttpPipelineCallContext context, HttpResponse response) {
            dropCache.run();
            AccessToken t = credential.getTokenSync(new TokenRequestContext().addScopes(scope));
            context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + t.getToken());
            return true;
        }
    }

    /** A credential that cannot give a token: told apart from a network failure. */
    private static final class NoToken extends RuntimeException {
        NoToken(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Guarded(TokenCredential credential) implements TokenCredential {
        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.defer(() -> credential.getToken(request))
                    .switchIfEmpty(Mono.error(() -> new NoToken("the credential gave none", null)))
                    .onErrorMap(e -> !(e instanceof NoToken), e -> new NoToken(e.getMessage(), e));
        }

        @Override
        public AccessToken getTokenSync(TokenRequestContext request) {
            AccessToken t;
            try {
                t = credential.getTokenSync(request);
            } catch (RuntimeException e) {
                throw new NoToken(e.getMessage(), e);
            }
            if (t == null || t.getToken() == null) throw new NoToken("the credential gave none", null);
            return t;
        }
    }
}
