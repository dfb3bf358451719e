package io.retraintrigger.api;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;

/** The request of POST /api/backtest (BacktestApi reads it). */
@Schema(description = "A backtest of the kept events of [from, to) under a candidate configuration", requiredProperties = {"from", "to"})
public record BacktestBody(@Schema(description = "RFC 3339, inclusive") String from,
                           @Schema(description = "RFC 3339, exclusive; at most 400 days after from") String to,
                           @Schema(description = "retrain.* keys over the current configuration (not retrain.store.*, retrain.auth.*)") Map<String, Object> candidate,
                           @Schema(description = "the configuration to compare with; default the current one") Map<String, Object> against,
                           @Schema(description = "KEY=V1,V2,...: one report per value, with the Pareto front; not with against") String sweep,
                           @Schema(description = "when a replayed review is approved: a duration (1h, default) or never") String approveAfter) {
}
