package io.retraintrigger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retraintrigger.coordinator.Coordinator;
import io.retraintrigger.guardrails.GuardrailService;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.Decision;
import io.retraintrigger.store.ApprovalLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.charset.StandardCharsets;

/** POST /api/approvals/{id}/approve|reject with {"comment": "..."}. */
@ApplicationScoped
@Named("approvalsApi")
public class ApprovalsApi {
    private final ObjectMapper mapper = new ObjectMapper();
    private final Coordinator coordinator;
    private final ApprovalLog store;
    private final GuardrailService guardrails;

    @Inject
    public ApprovalsApi(Coordinator coordinator, ApprovalLog store, GuardrailService guardrails) {
        this.coordinator = coordinator;
        this.store = store;
        this.guardrails = guardrails;
    }

    /**
     * @return the decision it led to: a training, or a review's dismissal; for an approved model held by the
     * guardrails, its decision as promoted; null when nothing else changed
     */
    public Decision resolve(String id, String action, byte[] body, String user) {
        boolean approve = switch (action) {
            case "approve" -> true;
            case "reject" -> false;
            default -> throw new BadInputException(404, "unknown action '" + action + "'; actions: approve, reject");
        };
        return coordinator.resolve(id, approve, user, comment(body))
                .or(() -> store.approval(id).flatMap(guardrails::modelApproved))
                .orElse(null);
    }

    /** The answer: {"approval": ..., "decision": ... or null}, the decision as it stands after its launch. */
    public ApprovalAnswer response(String id, Decision decision) {
        return new ApprovalAnswer(store.approval(id).orElseThrow(), decision);
    }

    private String comment(byte[] body) {
        if (body == null || body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) return null;
        try {
            JsonNode n = mapper.readTree(body);
            if (!n.isObject()) throw new BadInputException(400, "malformed request: must be a JSON object");
            JsonNode c = n.get("comment");
            if (c == null || c.isNull()) return null;
            if (!c.isTextual()) throw new BadInputException(422, "invalid field comment: must be a string");
            return c.asText();
        } catch (java.io.IOException e) {
            throw new BadInputException(400, "malformed JSON: " + e.getMessage());
        }
    }
}
