-- When each pipeline last had each signal it expects (data, monitor, schedule): a silence longer than
-- expected is a finding; a schedule's fires after its last one, missed while the service was down, are caught up.
CREATE TABLE signal_time (
    pipeline  VARCHAR(200) NOT NULL,
    signal    VARCHAR(32)  NOT NULL,
    at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (pipeline, signal)
);
