package io.retraintrigger.api;

import io.swagger.v3.oas.annotations.media.Schema;

/** The request of POST /api/approvals/{id}/{action} (ApprovalsApi reads it; an empty body is fine too). */
@Schema(description = "The reviewer's comment, optional")
public record ApprovalComment(String comment) {
}
