# The state store's tables (retrain.store.kind=dynamodb), exactly as the adapter defines them
# (io.retraintrigger.store.dynamodb.DynamoDbTables, which checks keys and indexes at startup):
# PAY_PER_REQUEST, hash key only, every key attribute a string, every GSI KEYS_ONLY, no TTL.
# Names: var.dynamodb_table_prefix + the table's name.
#
# | table         | hash key | GSI (hash key, range key)                         |
# |---------------|----------|---------------------------------------------------|
# | pipelines     | pipeline | -                                                 |
# | decisions     | id       | by-pipeline (pipeline, decidedKey)                |
# |               |          | by-pipeline-outcome (pipelineOutcome, decidedKey) |
# |               |          | by-outcome (outcome, decidedKey)                  |
# |               |          | pending-launch (launchPending, decidedKey)        |
# | approvals     | id       | by-pipeline (pipeline, createdKey)                |
# |               |          | by-status (status, createdKey)                    |
# | dead-letters  | id       | by-received (kind, receivedKey)                   |
# | batches       | id       | by-state (state, stateKey)                        |
# | event-archive | id       | by-time (bucket, timeKey)                         |

locals {
  dynamodb_tables = {
    "pipelines" = {
      hash_key = "pipeline"
      indexes  = {}
    }
    "decisions" = {
      hash_key = "id"
      indexes = {
        "by-pipeline"         = { hash_key = "pipeline", range_key = "decidedKey" }
        "by-pipeline-outcome" = { hash_key = "pipelineOutcome", range_key = "decidedKey" }
        "by-outcome"          = { hash_key = "outcome", range_key = "decidedKey" }
        "pending-launch"      = { hash_key = "launchPending", range_key = "decidedKey" }
      }
    }
    "approvals" = {
      hash_key = "id"
      indexes = {
        "by-pipeline" = { hash_key = "pipeline", range_key = "createdKey" }
        "by-status"   = { hash_key = "status", range_key = "createdKey" }
      }
    }
    "dead-letters" = {
      hash_key = "id"
      indexes = {
        "by-received" = { hash_key = "kind", range_key = "receivedKey" }
      }
    }
    "batches" = {
      hash_key = "id"
      indexes = {
        "by-state" = { hash_key = "state", range_key = "stateKey" }
      }
    }
    # the accepted events (retrain.events.retention), by UTC day and shard, for GET /api/events/export
    "event-archive" = {
      hash_key = "id"
      indexes = {
        "by-time" = { hash_key = "bucket", range_key = "timeKey" }
      }
    }
  }

  # Key attributes of each table: its hash key and the keys of its indexes (all strings).
  dynamodb_attributes = {
    for t, d in local.dynamodb_tables : t => distinct(compact(concat(
      [d.hash_key],
      flatten([for i in values(d.indexes) : [i.hash_key, i.range_key]])
    )))
  }
}

resource "aws_dynamodb_table" "state" {
  for_each = local.dynamodb_tables

  name                        = "${var.dynamodb_table_prefix}${each.key}"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = each.value.hash_key
  deletion_protection_enabled = var.dynamodb_deletion_protection

  dynamic "attribute" {
    for_each = local.dynamodb_attributes[each.key]

    content {
      name = attribute.value
      type = "S"
    }
  }

  dynamic "global_secondary_index" {
    for_each = each.value.indexes

    content {
      name            = global_secondary_index.key
      hash_key        = global_secondary_index.value.hash_key
      range_key       = global_secondary_index.value.range_key
      projection_type = "KEYS_ONLY"
    }
  }

  point_in_time_recovery {
    enabled = true
  }

  # Without a key of your own: DynamoDB's default encryption with an AWS owned key.
  dynamic "server_side_encryption" {
    for_each = var.dynamodb_kms_key_arn == null ? [] : [var.dynamodb_kms_key_arn]

    content {
      enabled     = true
      kms_key_arn = server_side_encryption.value
    }
  }
}

locals {
  # The role's DynamoDB permissions: the calls the adapter makes (DynamoDbStateStore,
  # DynamoDbBatchStore: single-item conditional writes, no transactions; DynamoDbEventArchive:
  # BatchWriteItem of the events kept and purged), on these tables and their indexes only. No CreateTable/UpdateTimeToLive/DescribeTable: retrain.store.dynamodb.auto-create
  # stays false in production, the tables come from here.
  dynamodb_actions = [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
  ]

  dynamodb_resource_arns = flatten([
    for t in values(aws_dynamodb_table.state) : [t.arn, "${t.arn}/index/*"]
  ])
}
