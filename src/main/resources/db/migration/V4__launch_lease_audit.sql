-- Who holds the send lease of a PENDING launch (renewed while its sender is still at it).
ALTER TABLE decision ADD COLUMN send_lease_holder VARCHAR(64);

-- The decision states that went to the audit sink: one event per state, whoever finds it (a redelivery,
-- another replica, the resend sweep).
CREATE TABLE audit_mark (
    decision_id  VARCHAR(64) NOT NULL,
    state        VARCHAR(64) NOT NULL,
    PRIMARY KEY (decision_id, state)
);
