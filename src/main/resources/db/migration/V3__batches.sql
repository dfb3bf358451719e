-- Batches of data arrivals, replacing camel-sql's aggregation repository (which rewrote the whole batch
-- on every event and committed the dedup key apart from it). Open batches still in the old tables are
-- not carried over: they hold Java-serialized exchanges of an earlier release.
DROP TABLE batch_aggregation;
DROP TABLE batch_aggregation_completed;

-- One row per pipeline: its open batch (number seq). Appends and closes lock this row, so an arrival
-- lands in exactly one batch and a batch closes once, also across replicas.
CREATE TABLE batch_head (
    pipeline     VARCHAR(200) PRIMARY KEY,
    seq          BIGINT NOT NULL,
    event_count  INTEGER NOT NULL,
    total_bytes  BIGINT NOT NULL,
    opened_at    TIMESTAMP WITH TIME ZONE,
    closes_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX batch_head_closes_idx ON batch_head (closes_at);

-- Closed batches; decided = false until the decision is recorded (lease_until: who decides it now).
CREATE TABLE batch (
    id           VARCHAR(230) PRIMARY KEY,
    pipeline     VARCHAR(200) NOT NULL,
    seq          BIGINT NOT NULL,
    event_count  INTEGER NOT NULL,
    total_bytes  BIGINT NOT NULL,
    opened_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    closed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    reason       VARCHAR(32) NOT NULL,
    decided      BOOLEAN NOT NULL,
    lease_until  TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts     INTEGER NOT NULL
);
CREATE INDEX batch_undecided_idx ON batch (decided, lease_until);
CREATE INDEX batch_closed_idx ON batch (closed_at);

-- Every data arrival, appended once: its key is the dedup of data events.
CREATE TABLE batch_item (
    event_key    VARCHAR(512) PRIMARY KEY,
    pipeline     VARCHAR(200) NOT NULL,
    seq          BIGINT NOT NULL,
    slot         INTEGER NOT NULL,
    uri          VARCHAR(4096) NOT NULL,
    size_bytes   BIGINT NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX batch_item_slot_idx ON batch_item (pipeline, seq, slot);

-- A launch being sent holds a lease: a decision found again (a redelivery, another replica) is not
-- sent while it runs, and the resend sweep takes only launches whose lease has ended.
ALTER TABLE decision ADD COLUMN send_lease_until TIMESTAMP WITH TIME ZONE;

-- Data events are deduplicated by batch_item.event_key, other signals by derived decision ids: the
-- processed-keys table of V1 (the idempotent repository's) is not used any more.
DROP TABLE processed_event;
