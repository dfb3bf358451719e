package io.retraintrigger.observability;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.List;

/**
 * The test application's span exporter (Quarkus OpenTelemetry takes every {@link SpanExporter} bean; the OTLP one
 * is off in %test): an {@link InMemorySpanExporter} that keeps spans only while a test records. The default boot
 * serves every test class of the run, and each of their requests makes spans: kept all along, they would fill
 * the heap of the whole run; so the others' are dropped here, and {@link #start()} begins with none.
 */
@ApplicationScoped
public class TestSpans {
    private final InMemorySpanExporter memory = InMemorySpanExporter.create();
    private volatile boolean recording;

    @Produces
    @Singleton
    SpanExporter exporter() {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return recording ? memory.export(spans) : CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return memory.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return memory.shutdown();
            }
        };
    }

    /** Keeps the spans ended (exported) from now on, none of before. */
    public void start() {
        memory.reset();
        recording = true;
    }

    public void stop() {
        recording = false;
        memory.reset();
    }

    public List<SpanData> finished() {
        return memory.getFinishedSpanItems();
    }
}
