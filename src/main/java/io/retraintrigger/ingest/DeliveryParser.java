package io.retraintrigger.ingest;

import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.TriggerEvent;

import java.util.List;
import java.util.Map;

/**
 * The parser of one source's deliveries (an SQS message, a Pub/Sub message, a Service Bus message, an
 * HTTP request): its body and the consumer's headers to events. One implementation per source, each
 * dispatching to one parser per wire format; the intake route picks it by {@link #source()}.
 */
public interface DeliveryParser {

    /** The source name its consumer route sets in the header RetrainSource (aws-sqs, gcp-pubsub, azure-servicebus, api). */
    String source();

    /** @throws BadInputException when the delivery cannot be read; nothing of it is then recorded */
    List<TriggerEvent> parse(byte[] body, Map<String, Object> headers);

    /** A matched event, completed with what the source knows besides the message (e.g. a monitor's report). */
    default TriggerEvent enrich(TriggerEvent matched) {
        return matched;
    }
}
