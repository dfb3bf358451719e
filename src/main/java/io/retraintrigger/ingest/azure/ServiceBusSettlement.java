package io.retraintrigger.ingest.azure;

import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Synchronization;
import org.jboss.logging.Logger;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * Dead-letters an unparseable Service Bus message at once, with the reason.
 * <p>
 * Camel 4.16's azure-servicebus consumer settles a peek-lock message when its exchange ends: complete
 * on success; on failure abandon, or dead-letter every failure when enableDeadLettering is on. We need
 * both: abandon on a processing failure (so Service Bus redelivers) and dead-letter a message that can
 * never be parsed. The consumer keeps the message's settlement context in the completion it adds to
 * the exchange; this takes that completion off the exchange, dead-letters through its context, and
 * leaves the exchange to complete without settling the message again. Should a later Camel change
 * that completion, the message is completed instead (and is still in our dead letters): logged loudly.
 */
@ApplicationScoped
@Named("serviceBusSettlement")
public class ServiceBusSettlement {
    /** Exchange property with what was done: DEAD_LETTERED, or COMPLETED_WITHOUT_DEAD_LETTER. */
    public static final String SETTLEMENT = "RetrainServiceBusSettlement";
    static final String CONSUMER_COMPLETION = "org.apache.camel.component.azure.servicebus.ServiceBusConsumer$ConsumerOnCompletion";
    private static final Logger LOG = Logger.getLogger(ServiceBusSettlement.class);
    /** Service Bus limits the dead-letter reason; keep it short and put the rest in the description. */
    private static final int MAX_REASON = 200;

    public void deadLetter(Exchange exchange, String reason) {
        List<Synchronization> completions = exchange.getExchangeExtension().handoverCompletions();
        List<Synchronization> others = new ArrayList<>();
        ServiceBusReceivedMessageContext context = null;
        if (completions != null) {
            for (Synchronization s : completions) {
                ServiceBusReceivedMessageContext c = contextOf(s);
                if (c != null && context == null) context = c;
                else others.add(s);
            }
        }
        others.forEach(s -> exchange.getExchangeExtension().addOnCompletion(s));
        String text = reason == null ? "unreadable message" : reason;
        if (context == null) {
            exchange.setProperty(SETTLEMENT, "COMPLETED_WITHOUT_DEAD_LETTER: " + text);
            if (completions != null && !completions.isEmpty()) {
                LOG.errorf("cannot dead-letter the Service Bus message (consumer completion not found); it will be completed. Reason: %s", text);
            }
            return;
        }
        context.deadLetter(new DeadLetterOptions()
                .setDeadLetterReason(text.length() > MAX_REASON ? text.substring(0, MAX_REASON) : text)
                .setDeadLetterErrorDescription(text));
        exchange.setProperty(SETTLEMENT, "DEAD_LETTERED: " + text);
    }

    private static ServiceBusReceivedMessageContext contextOf(Synchronization s) {
        if (!s.getClass().getName().equals(CONSUMER_COMPLETION)) return null;
        try {
            Field f = s.getClass().getDeclaredField("messageContext");
            f.setAccessible(true);
            return (ServiceBusReceivedMessageContext) f.get(s);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.errorf(e, "the Service Bus consumer's completion has no readable messageContext");
            return null;
        }
    }
}
