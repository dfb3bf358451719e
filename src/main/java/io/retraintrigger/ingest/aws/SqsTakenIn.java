package io.retraintrigger.ingest.aws;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * The split of one SQS receive (routes/ingest-aws.yaml) gathered: the messages whose intake returned, to
 * be deleted. A message whose intake failed is left out (it stays in the queue); its failure stays with it,
 * so that the others of its receive go on and are deleted.
 *
 * <p>The gathered list lives in an exchange of its own rather than in the first message's exchange (as
 * Camel's GroupedBodyAggregationStrategy keeps it): the splitter copies the result's state back onto the
 * polling exchange, and a message refused by the intake (handled there, dead-lettered) would then end
 * the polling route before its delete.
 */
@ApplicationScoped
@Named("sqsTakenIn")
public class SqsTakenIn implements AggregationStrategy {
    /** The exchange property the consumer route keeps each message in. */
    static final String MESSAGE = "RetrainSqsMessage";

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange gathered, Exchange one) {
        Exchange result = gathered;
        if (result == null) {
            result = new DefaultExchange(one.getContext());
            result.getIn().setBody(new ArrayList<Message>());
        }
        if (one.getException() == null) {
            Message m = one.getProperty(MESSAGE, Message.class);
            if (m != null) result.getIn().getBody(List.class).add(m);
        }
        return result;
    }
}
