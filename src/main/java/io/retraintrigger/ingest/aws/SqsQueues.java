package io.retraintrigger.ingest.aws;

import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.ingest.Received;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SQS side of the AWS consumer routes (routes/ingest-aws.yaml): one receive of up to ten messages,
 * recorded together by the intake, and one DeleteMessageBatch for those it took in.
 *
 * <p>Written here rather than using Camel's aws2-sqs consumer because that consumer makes one exchange
 * per message and deletes each with a request of its own: eleven round trips and ten store transactions
 * per ten messages, which bounded the intake to a fifth of what the queue serves (see the README's
 * benchmark). Receiving and deleting in batches is what the SQS API offers for it; polling, greedy
 * re-polling and error handling stay Camel's (the scheduler component).
 */
@ApplicationScoped
@Named("sqsQueues")
public class SqsQueues {
    private static final Logger LOG = Logger.getLogger(SqsQueues.class);
    /** The most entries one DeleteMessageBatch takes. */
    private static final int MAX_BATCH = 10;

    private final SqsClient sqs;
    private final RetrainConfig.Sources.Aws settings;
    private final Map<String, String> urls = new ConcurrentHashMap<>();

    @Inject
    public SqsQueues(SqsClient sqs, RetrainConfig config) {
        this.sqs = sqs;
        this.settings = config.sources().aws();
    }

    /**
     * One long-polling receive: up to retrain.sources.aws.max-messages messages, invisible for the
     * visibility timeout. A dead letter of one keeps its message id.
     */
    public List<Received> receive(String queue) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url(queue))
                .maxNumberOfMessages(settings.maxMessages())
                .waitTimeSeconds(settings.waitTimeSeconds())
                .visibilityTimeout(settings.visibilityTimeout())).messages();
        List<Received> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            out.add(new Received(m, m.body().getBytes(StandardCharsets.UTF_8), Map.of("SqsMessageId", m.messageId())));
        }
        return out;
    }

    /**
     * Deletes the messages the intake took in, ten per request. A message whose delete fails (its receipt
     * expired, say) comes back after its visibility timeout and is then found recorded: nothing is lost,
     * nothing is counted twice.
     */
    public void delete(String queue, List<Object> handles) {
        List<Message> taken = handles == null ? List.of() : handles.stream().map(Message.class::cast).toList();
        if (taken.isEmpty()) return;
        String url = url(queue);
        for (int from = 0; from < taken.size(); from += MAX_BATCH) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(MAX_BATCH);
            for (int i = from; i < Math.min(taken.size(), from + MAX_BATCH); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(taken.get(i).receiptHandle()).build());
            }
            List<BatchResultErrorEntry> failed = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries)).failed();
            for (BatchResultErrorEntry f : failed) {
                LOG.warnf("SQS %s: message %s not deleted (%s: %s); it will be received again and found recorded",
                        queue, taken.get(Integer.parseInt(f.id())).messageId(), f.code(), f.message());
            }
        }
    }

    /** The queue's URL: given as one, or looked up once by name. */
    String url(String queue) {
        if (queue.startsWith("https://") || queue.startsWith("http://")) return queue;
        return urls.computeIfAbsent(queue, q -> sqs.getQueueUrl(b -> b.queueName(q)).queueUrl());
    }
}
