-- Executions report their state by the id the launcher returned (SageMaker execution ARN,
-- Vertex AI job name, Azure ML job name): find the decision that launched them.
ALTER TABLE decision ADD COLUMN execution_id VARCHAR(512);
CREATE INDEX decision_execution_idx ON decision (execution_id);
