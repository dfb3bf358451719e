-- The accepted events, kept for retrain.events.retention and exported in time order (GET /api/events/export):
-- what a backtest replays. One row per dedup key, never rewritten; time_key is the event's time as
-- fixed-width UTC text with nanoseconds (its order is time order, to the nanosecond, on both databases);
-- body is the whole event as JSON.
CREATE TABLE event_archive (
    event_key  VARCHAR(512) PRIMARY KEY,
    time_key   VARCHAR(40) NOT NULL,
    body       VARCHAR NOT NULL
);
CREATE INDEX event_archive_time_idx ON event_archive (time_key, event_key);
