package io.retraintrigger.config;

/** A name that no retrain.pipelines.NAME configures. */
public class UnknownPipelineException extends RuntimeException {
    private final String pipeline;

    public UnknownPipelineException(String pipeline) {
        super("unknown pipeline '" + pipeline + "'");
        this.pipeline = pipeline;
    }

    public String pipeline() {
        return pipeline;
    }
}
