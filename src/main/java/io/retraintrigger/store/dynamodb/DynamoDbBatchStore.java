package io.retraintrigger.store.dynamodb;

import io.retraintrigger.model.BatchId;
import io.retraintrigger.model.BatchItem;
import io.retraintrigger.model.ClosedBatch;
import io.retraintrigger.model.OpenBatch;
import io.retraintrigger.store.AppendResult;
import io.retraintrigger.store.Arrival;
import io.retraintrigger.store.BatchStore;
import io.retraintrigger.store.StoreException;
import io.retraintrigger.store.StoreJson;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link BatchStore} on Amazon DynamoDB, in the {@code batches} table of {@link DynamoDbTables}, with
 * single-item conditional writes only (no TransactWriteItems: dynalite has none, and none is needed).
 *
 * <h2>Items</h2>
 * <ul>
 *   <li>{@code head#<pipeline>}: the open batch. {@code seq} (its number), {@code tickets} (slots handed
 *       out in it), {@code voided} (of those, given back by their appender), {@code totalBytes},
 *       {@code openedAt} and {@code closesAt} (set by its first ticket), and while it has tickets
 *       {@code state = open}, {@code stateKey = closesAt} (index {@code by-state}). A cut of batch s
 *       leaves {@code cut<s>Tickets} and {@code cut<s>OpenedAt} until the batch record has them.</li>
 *   <li>{@code evt#<key>} ({@code key} over 1 KB by its SHA-256: {@link Items#boundedKey}): the
 *       dedup record of an arrival and its pointer {@code batch}, {@code slot}; {@code key}, {@code pipeline},
 *       {@code uri}, {@code size}, {@code receivedAt}.</li>
 *   <li>{@code slot#<pipeline>#<seq>#<slot>}: a member of a batch ({@code eventKey}, {@code uri},
 *       {@code size}, {@code receivedAt}), or {@code void = true}. Written once, with
 *       {@code attribute_not_exists}, never changed (only purged).</li>
 *   <li>{@code batch#<pipeline>#<seq>}: a batch that is closing or closed: {@code phase} (closing,
 *       closed), {@code reason}, {@code closedAt}, {@code leaseUntil}, {@code attempts}, and once
 *       closed {@code count}, {@code totalBytes}, {@code openedAt}, {@code tickets}, {@code preview} (its
 *       first URIs, JSON, compressed when long); {@code state = undecided}, {@code stateKey =
 *       leaseUntil#id} until {@code decided = true}, then {@code state = decided},
 *       {@code stateKey = closedAt#id}.</li>
 * </ul>
 *
 * <h2>Membership: a ticket, then a slot</h2>
 * An arrival takes a ticket from its pipeline's head: one conditional UpdateItem
 * ({@code tickets < batchSize}) that returns (seq, slot), so the head serializes the arrivals of a
 * pipeline as the JDBC adapter's row lock does. It then creates its {@code evt#} item pointing at
 * that slot ({@code attribute_not_exists}: the dedup), then the slot item. An arrival is in batch s
 * at slot n exactly when slot item (s, n) names it. The event's pointer moves only away from a void
 * slot (a conditional update on the old pointer), and slot items never change, so no event is named
 * by two slots. Whoever holds an event's pointer may write the slot it points to (a redelivery does,
 * when the appender died before), and when a closer has voided that slot, moves the event to a new
 * ticket; an append returns only when its events are in slots, so an arrival whose append returned
 * is in exactly one batch. The ticket taken before the dedup would waste slots on duplicates, so
 * the event is read (strongly consistent) first; a concurrent duplicate that passes that read gives
 * its ticket back (void slot, {@code voided + 1} on the head while the batch is still open). A
 * redelivery after a crash finds the event recorded: it is reported as a duplicate, and put into its
 * slot (or a new one) on the way.
 *
 * <p>Membership is fixed when the arrival is appended, not when the batch closes (the closer taking
 * unassigned events from an index): without transactions a head counter of unassigned events could
 * not be kept exact across a crash between an event's write and the counter's, and a counter that
 * drifts strands events or closes batches early; a ticket is counted in the same write that hands it out.
 *
 * <h2>Closing: intent, cut, verification</h2>
 * {@link #close} (a window, or the arrival that took a batch's last ticket) first puts the batch
 * record in phase closing with {@code attribute_not_exists}: that put picks the one closer. It then
 * cuts the head ({@code seq = s} → {@code seq = s + 1}, counters reset, the cut's tickets and
 * openedAt copied into {@code cut<s>…}), in one conditional UpdateItem, so that later arrivals go
 * into the next batch at once. Anybody may make the cut of a batch whose record exists (a closer
 * that lost the put, an appender that found the batch full), so nobody waits on a closer that died.
 * The closer then reads slots 1..tickets (BatchGetItem, strongly consistent): a slot still missing
 * after {@link #slotGrace} (real time: its appender is slow or dead) is voided with
 * {@code attribute_not_exists}, which either wins (the appender then moves its event to the next
 * batch) or finds the slot written. Once every slot exists the batch is fixed: count, bytes and preview
 * are computed from the slots and written into the record (phase closed), and the cut attributes are
 * removed from the head. Every step is idempotent and the same for whoever takes it, so two closers
 * finishing one batch write the same record. So a batch closed by size may hold fewer than its size
 * when tickets were given back or voided; one left with no member at all is recorded as decided (it
 * never reaches a caller) and purged like the others. A closer that dies between its record and the
 * head's clean-up leaves two small {@code cut<s>…} attributes on the head.
 *
 * <p>The closer holds the batch for {@code lease}. {@link #claimUndecided} finds records (undecided,
 * lease over) through {@code by-state}, claims each with a conditional update of its lease (one
 * claimant wins, {@code attempts + 1}) and, if its closer died in phase closing, finishes the close
 * before returning it. The index only says which records to look at; heads and records are read
 * strongly consistent and checked again.
 *
 * <h2>Cost</h2>
 * A new arrival: one consistent GetItem and three writes (head, event, slot), whatever the batch size.
 * A duplicate: two consistent GetItems. A close: about four writes plus one read unit per ticket
 * (the slots, 100 per BatchGetItem). A purge deletes the event and the slot of each member.
 *
 * <p>Counts of an {@link OpenBatch} are tickets minus given-back ones: exact unless an appender
 * died holding a ticket (its slot is voided at the close). A pipeline's head takes a write per
 * arrival, which bounds one pipeline to DynamoDB's per-item write rate (about 1000 arrivals a second).
 */
public class DynamoDbBatchStore implements BatchStore {
    private static final Logger LOG = Logger.getLogger(DynamoDbBatchStore.class);

    /** How long a closer waits for a handed-out slot to be written before it voids it. */
    static final Duration DEFAULT_SLOT_GRACE = Duration.ofSeconds(2);

    static final String HEAD = "head#";
    static final String EVENT = "evt#";
    static final String SLOT = "slot#";
    static final String BATCH = "batch#";

    // values of the by-state index key
    static final String OPEN = "open";
    static final String UNDECIDED = "undecided";
    static final String DECIDED = "decided";

    // phases of a batch record
    static final String CLOSING = "closing";
    static final String CLOSED = "closed";

    private static final int ATTEMPTS = 200;
    private static final int GET_CHUNK = 100;
    /** The preview's JSON is kept under this (before compression), far within an item's 400 KB. */
    private static final int MAX_PREVIEW_BYTES = 256 * 1024;
    private static final Pattern NAME = Pattern.compile("#[A-Za-z0-9_]+");
    private static final Pattern VALUE = Pattern.compile(":[A-Za-z0-9_]+");

    private final DynamoDbClient ddb;
    private final String table;
    private final Duration lease;

    /** Real-time wait of a closer for a slot whose ticket is out (tests shorten it). */
    volatile Duration slotGrace = DEFAULT_SLOT_GRACE;

    /** Tests only: the store throws {@link SimulatedCrash} right after this step (null: never). */
    volatile Step crashAfter;

    /** Steps after which a test may make the store "die". */
    enum Step { TICKET, EVENT, INTENT, CUT }

    /** A simulated death of the process at a {@link Step}: nothing after it is written. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(Step step) {
            super("simulated crash after " + step);
        }
    }

    /** @param lease how long the closer of a batch holds it before {@link #claimUndecided} may hand it to another */
    public DynamoDbBatchStore(DynamoDbClient ddb, DynamoDbTables.Names tables, Duration lease) {
        this.ddb = Objects.requireNonNull(ddb, "ddb");
        this.table = Objects.requireNonNull(tables, "tables").batches();
        this.lease = Objects.requireNonNull(lease, "lease");
    }

    private record Ticket(long seq, long slot) {
    }

    // ------------------------------------------------------------------ append

    @Override
    public AppendResult append(List<Arrival> arrivals, Instant now) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        List<ClosedBatch> closed = new ArrayList<>();
        for (Arrival a : arrivals) {
            if (!seen.add(a.key()) || !appendOne(a, now, closed)) duplicates.add(a.key());
        }
        return new AppendResult(duplicates, closed);
    }

    /** Records one arrival in a slot; false when its key was recorded before (it is then made sure to be in a slot). */
    private boolean appendOne(Arrival a, Instant now, List<ClosedBatch> closed) {
        String eventId = eventId(a.key());
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> event = get(eventId);
            if (event != null) {
                settle(a, event, true, false, now, closed);
                return false;
            }
            Ticket t = ticket(a.pipeline(), a, a.sizeBytes(), now, closed);
            reached(Step.TICKET);
            Map<String, AttributeValue> item = eventItem(eventId, a, now, t);
            if (putIfAbsent(item)) {
                reached(Step.EVENT);
                settle(a, item, false, true, now, closed);
                return true;
            }
            // another delivery of this key recorded it between our read and our put: give the ticket back, settle theirs
            giveBack(a.pipeline(), t, a.sizeBytes());
            if (attempt >= ATTEMPTS) throw new StoreException("batch store: the record of " + a.key() + " keeps changing");
        }
    }

    /**
     * Makes sure the event is in the slot it points to: writes that slot when nobody has (its appender may
     * have died before), and when a closer voided it first, moves the event to a new ticket. {@code mine}:
     * this call took the ticket, so it closes the batch when that ticket was the batch's last.
     */
    private void settle(Arrival a, Map<String, AttributeValue> event, boolean probe, boolean mine, Instant now,
                        List<ClosedBatch> closed) {
        String eventId = Items.str(event, "id");
        String key = Items.str(event, "key");
        String pipeline = Items.str(event, "pipeline");
        long size = Items.num(event, "size", 0);
        long seq = Items.num(event, "batch", 0);
        long slot = Items.num(event, "slot", 0);
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> s = probe ? get(slotId(pipeline, seq, slot)) : null;
            if (s == null) {
                Map<String, AttributeValue> item = slotItem(pipeline, seq, slot, event);
                s = putIfAbsent(item) ? item : get(slotId(pipeline, seq, slot));
                if (s == null) return; // purged with its (decided) batch meanwhile
            }
            if (key.equals(Items.str(s, "eventKey"))) {
                // in its slot (written by us, or by another delivery of it); the last ticket of a batch closes it
                if (mine && slot >= a.batchSize()) closeBatch(pipeline, seq, ClosedBatch.SIZE, now).ifPresent(closed::add);
                return;
            }
            if (!isVoid(s)) {
                throw new StoreException("batch store: slot " + slot + " of batch " + BatchId.of(pipeline, seq) + " holds "
                        + Items.str(s, "eventKey") + ", not " + key);
            }
            // A closer voided the slot before the event got there: the event moves to a ticket of the open batch.
            Ticket t = ticket(pipeline, a, size, now, closed);
            Map<String, AttributeValue> moved = update(eventId, "SET #batch = :s2, #slot = :n2", "#batch = :s AND #slot = :n",
                    Map.of(":s2", Items.n(t.seq()), ":n2", Items.n(t.slot()), ":s", Items.n(seq), ":n", Items.n(slot)));
            if (moved != null) {
                LOG.debugf("event %s moved from a voided slot of batch %s to slot %d of batch %s", key, BatchId.of(pipeline, seq),
                        t.slot(), BatchId.of(pipeline, t.seq()));
                seq = t.seq();
                slot = t.slot();
                event = moved;
                probe = false;
                mine = true;
            } else {
                giveBack(pipeline, t, size); // another delivery moved it first: follow its pointer
                event = get(eventId);
                if (event == null) return;
                seq = Items.num(event, "batch", 0);
                slot = Items.num(event, "slot", 0);
                probe = true;
                mine = false;
            }
            if (attempt >= ATTEMPTS) throw new StoreException("batch store: event " + key + " keeps losing its slot");
        }
    }

    /** A slot of the pipeline's open batch; a full batch is closed (or its cut made) first. */
    private Ticket ticket(String pipeline, Arrival a, long size, Instant now, List<ClosedBatch> closed) {
        String closes = Items.sortable(now.plus(a.window()));
        Map<String, AttributeValue> values = Map.of(":one", Items.n(1), ":zero", Items.n(0), ":size", Items.n(size),
                ":now", Items.s(Items.sortable(now)), ":closes", Items.s(closes), ":open", Items.s(OPEN), ":p", Items.s(pipeline),
                ":max", Items.n(a.batchSize()));
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> head = update(headId(pipeline),
                    "SET #seq = if_not_exists(#seq, :one), #tickets = if_not_exists(#tickets, :zero) + :one,"
                            + " #voided = if_not_exists(#voided, :zero), #totalBytes = if_not_exists(#totalBytes, :zero) + :size,"
                            + " #openedAt = if_not_exists(#openedAt, :now), #closesAt = if_not_exists(#closesAt, :closes),"
                            + " #stateKey = if_not_exists(#stateKey, :closes), #state = :open, #pipeline = :p",
                    "attribute_not_exists(#tickets) OR #tickets < :max", values);
            if (head != null) return new Ticket(Items.num(head, "seq", 0), Items.num(head, "tickets", 0));
            // Full: the arrival that took its last ticket closes it; we close it or make its cut, then retry.
            Map<String, AttributeValue> h = get(headId(pipeline));
            if (h != null) closeBatch(pipeline, Items.num(h, "seq", 0), ClosedBatch.SIZE, now).ifPresent(closed::add);
            if (attempt >= ATTEMPTS) throw new StoreException("batch store: the open batch of " + pipeline + " stays full");
            if (attempt > 1) Items.backoff(attempt);
        }
    }

    /** Gives an unused ticket back: its slot becomes void, and the open batch's counters forget it. */
    private void giveBack(String pipeline, Ticket t, long size) {
        putIfAbsent(voidSlot(slotId(pipeline, t.seq(), t.slot())));
        update(headId(pipeline), "SET #voided = #voided + :one, #totalBytes = #totalBytes - :size", "#seq = :s",
                Map.of(":one", Items.n(1), ":size", Items.n(size), ":s", Items.n(t.seq())));
    }

    // ------------------------------------------------------------------ close

    @Override
    public Optional<ClosedBatch> close(String pipeline, long seq, String reason, Instant now) {
        return closeBatch(pipeline, seq, reason, now);
    }

    private Optional<ClosedBatch> closeBatch(String pipeline, long seq, String reason, Instant now) {
        Map<String, AttributeValue> head = get(headId(pipeline));
        if (head == null || Items.num(head, "seq", 0) != seq || Items.num(head, "tickets", 0) == 0) return Optional.empty();
        String batchId = BatchId.of(pipeline, seq);
        Instant leaseUntil = now.plus(lease);
        Map<String, AttributeValue> intent = new HashMap<>();
        intent.put("id", Items.s(BATCH + batchId));
        intent.put("pipeline", Items.s(pipeline));
        intent.put("seq", Items.n(seq));
        intent.put("phase", Items.s(CLOSING));
        intent.put("reason", Items.s(reason));
        intent.put("closedAt", Items.s(Items.sortable(now)));
        intent.put("closedKey", Items.s(Items.sortable(now) + "#" + batchId));
        intent.put("leaseUntil", Items.s(Items.sortable(leaseUntil)));
        intent.put("attempts", Items.n(1));
        intent.put("state", Items.s(UNDECIDED));
        intent.put("stateKey", Items.s(Items.sortable(leaseUntil) + "#" + batchId));
        if (!putIfAbsent(intent)) {
            // Someone else closes it. The cut is anyone's to make: later arrivals need not wait for that closer.
            cut(pipeline, seq);
            return Optional.empty();
        }
        reached(Step.INTENT);
        return finish(intent);
    }

    /**
     * Moves the head from batch {@code seq} to the next, keeping the cut batch's ticket count and opening
     * time on the head; returns the head after it (or as it is, when the cut was made before).
     */
    private Map<String, AttributeValue> cut(String pipeline, long seq) {
        Map<String, AttributeValue> after = update(headId(pipeline),
                "SET #seq = :next, #" + cutTickets(seq) + " = #tickets, #" + cutOpenedAt(seq) + " = #openedAt,"
                        + " #tickets = :zero, #voided = :zero, #totalBytes = :zero REMOVE #openedAt, #closesAt, #state, #stateKey",
                "#seq = :s AND #tickets > :zero", Map.of(":next", Items.n(seq + 1), ":s", Items.n(seq), ":zero", Items.n(0)));
        if (after != null) LOG.debugf("cut batch %s", BatchId.of(pipeline, seq));
        return after != null ? after : get(headId(pipeline));
    }

    /** Takes a batch record in phase closing to closed (cut, slots checked, record written); the same for every caller. */
    private Optional<ClosedBatch> finish(Map<String, AttributeValue> record) {
        if (CLOSED.equals(Items.str(record, "phase"))) return closedBatch(record);
        String pipeline = Items.str(record, "pipeline");
        long seq = Items.num(record, "seq", 0);
        String id = Items.str(record, "id");
        Map<String, AttributeValue> head = cut(pipeline, seq);
        if (head == null || !head.containsKey(cutTickets(seq))) {
            Map<String, AttributeValue> current = get(id);
            if (current != null && CLOSED.equals(Items.str(current, "phase"))) return closedBatch(current);
            // An intent for a batch that was closed and purged before it was written (a stale close): nothing to close.
            LOG.debugf("removing the stale close of batch %s", BatchId.of(pipeline, seq));
            delete(id, "#phase = :closing", Map.of(":closing", Items.s(CLOSING)));
            return Optional.empty();
        }
        reached(Step.CUT);
        long tickets = Items.num(head, cutTickets(seq), 0);
        String openedAt = Items.str(head, cutOpenedAt(seq));
        Members m = members(pipeline, seq, tickets);

        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":closed", Items.s(CLOSED));
        values.put(":closing", Items.s(CLOSING));
        values.put(":count", Items.n(m.count));
        values.put(":bytes", Items.n(m.bytes));
        values.put(":opened", Items.s(openedAt != null ? openedAt : Items.str(record, "closedAt")));
        values.put(":tickets", Items.n(tickets));
        values.put(":preview", Items.text(StoreJson.write(m.preview)));
        String set = "SET #phase = :closed, #count = :count, #totalBytes = :bytes, #openedAt = :opened, #tickets = :tickets, #preview = :preview";
        if (m.count == 0) {
            // Nothing in it (every ticket given back or voided): no decision to make, it is only kept until purged.
            set += ", #decided = :true, #state = :decided, #stateKey = #closedKey";
            values.put(":true", AttributeValue.fromBool(true));
            values.put(":decided", Items.s(DECIDED));
        }
        Map<String, AttributeValue> done = update(id, set, "#phase = :closing", values);
        if (done == null) done = get(id); // finished by another closer, from the same slots
        update(headId(pipeline), "REMOVE #" + cutTickets(seq) + ", #" + cutOpenedAt(seq), "attribute_exists(#id)", Map.of());
        return done == null ? Optional.empty() : closedBatch(done);
    }

    private record Members(long count, long bytes, List<String> preview) {
    }

    /** Reads slots 1..tickets of a cut batch, voiding those still missing after {@link #slotGrace}: then they are fixed. */
    private Members members(String pipeline, long seq, long tickets) {
        long count = 0;
        long bytes = 0;
        List<String> preview = new ArrayList<>();
        long previewBytes = 2;
        Long deadline = null; // System.nanoTime() when missing slots are voided, from the first one seen missing
        for (long from = 1; from <= tickets; from += GET_CHUNK) {
            List<String> ids = slotIds(pipeline, seq, from, Math.min(tickets, from + GET_CHUNK - 1));
            Map<String, Map<String, AttributeValue>> slots = batchGet(ids);
            for (int attempt = 1; slots.size() < ids.size(); attempt++) {
                List<String> missing = ids.stream().filter(i -> !slots.containsKey(i)).toList();
                if (deadline == null) deadline = System.nanoTime() + slotGrace.toNanos();
                if (System.nanoTime() - deadline >= 0) {
                    for (String i : missing) {
                        Map<String, AttributeValue> v = voidSlot(i);
                        if (putIfAbsent(v)) {
                            LOG.debugf("voided %s: its ticket was not used within %s", i, slotGrace);
                            slots.put(i, v);
                        } else {
                            Map<String, AttributeValue> written = get(i);
                            if (written == null) throw new StoreException("batch store: " + i + " vanished while its batch closed");
                            slots.put(i, written);
                        }
                    }
                    break;
                }
                Items.backoff(attempt);
                slots.putAll(batchGet(missing));
            }
            for (String i : ids) {
                Map<String, AttributeValue> slot = slots.get(i);
                if (isVoid(slot)) continue;
                count++;
                bytes += Items.num(slot, "size", 0);
                String uri = Items.str(slot, "uri");
                if (preview.size() < ClosedBatch.PREVIEW && previewBytes + Items.utf8Length(uri) + 3 <= MAX_PREVIEW_BYTES) {
                    preview.add(uri);
                    previewBytes += Items.utf8Length(uri) + 3;
                }
            }
        }
        return new Members(count, bytes, preview);
    }

    // ------------------------------------------------------------------ open batches

    @Override
    public List<OpenBatch> expired(Instant now, int limit) {
        List<OpenBatch> out = new ArrayList<>();
        if (limit <= 0) return out;
        Iterator<Map<String, AttributeValue>> keys = byState(OPEN, "<=", Items.sortable(now));
        for (List<String> chunk = nextIds(keys); !chunk.isEmpty() && out.size() < limit; chunk = nextIds(keys)) {
            Map<String, Map<String, AttributeValue>> heads = batchGet(chunk);
            for (String id : chunk) {
                OpenBatch b = openBatch(heads.get(id));
                if (b != null && !b.closesAt().isAfter(now)) out.add(b);
                if (out.size() == limit) break;
            }
        }
        return out;
    }

    @Override
    public Optional<OpenBatch> open(String pipeline) {
        return Optional.ofNullable(openBatch(get(headId(pipeline))));
    }

    private static OpenBatch openBatch(Map<String, AttributeValue> head) {
        if (head == null || !head.containsKey("openedAt")) return null;
        long count = Items.num(head, "tickets", 0) - Items.num(head, "voided", 0);
        if (count <= 0) return null;
        return new OpenBatch(Items.str(head, "pipeline"), Items.num(head, "seq", 0), (int) count, Items.num(head, "totalBytes", 0),
                Items.instant(Items.str(head, "openedAt")), Items.instant(Items.str(head, "closesAt")));
    }

    // ------------------------------------------------------------------ closed batches

    @Override
    public List<Claimed> claimUndecided(Instant now, Duration claimFor, int limit) {
        List<Claimed> out = new ArrayList<>();
        if (limit <= 0) return out;
        String at = Items.sortable(now);
        String until = Items.sortable(now.plus(claimFor));
        Iterator<Map<String, AttributeValue>> keys = byState(UNDECIDED, "<", at + "$"); // stateKey = leaseUntil#id, '$' > '#'
        for (List<String> chunk = nextIds(keys); !chunk.isEmpty() && out.size() < limit; chunk = nextIds(keys)) {
            Map<String, Map<String, AttributeValue>> records = batchGet(chunk);
            for (String id : chunk) {
                Map<String, AttributeValue> r = records.get(id);
                if (r == null || r.containsKey("decided") || Items.str(r, "leaseUntil").compareTo(at) > 0) continue;
                String batchId = BatchId.of(Items.str(r, "pipeline"), Items.num(r, "seq", 0));
                Map<String, AttributeValue> claimed = update(id, "SET #leaseUntil = :until, #stateKey = :key, #attempts = #attempts + :one",
                        "#leaseUntil <= :now AND attribute_not_exists(#decided)",
                        Map.of(":until", Items.s(until), ":key", Items.s(until + "#" + batchId), ":one", Items.n(1), ":now", Items.s(at)));
                if (claimed == null) continue; // another replica claimed it first
                if (CLOSING.equals(Items.str(claimed, "phase"))) LOG.debugf("finishing the close of batch %s, whose closer died", batchId);
                finish(claimed).ifPresent(b -> out.add(new Claimed(b, (int) Items.num(claimed, "attempts", 1))));
                if (out.size() == limit) break;
            }
        }
        return out;
    }

    @Override
    public void markDecided(String batchId) {
        update(batchKey(batchId), "SET #decided = :true, #state = :decided, #stateKey = #closedKey", "attribute_exists(#id)",
                Map.of(":true", AttributeValue.fromBool(true), ":decided", Items.s(DECIDED)));
    }

    @Override
    public Optional<ClosedBatch> closed(String batchId) {
        Map<String, AttributeValue> r = get(batchKey(batchId));
        return r == null ? Optional.empty() : closedBatch(r);
    }

    private static Optional<ClosedBatch> closedBatch(Map<String, AttributeValue> r) {
        if (!CLOSED.equals(Items.str(r, "phase")) || Items.num(r, "count", 0) == 0) return Optional.empty();
        String[] preview = StoreJson.read(Items.text(r.get("preview")), String[].class);
        return Optional.of(new ClosedBatch(Items.str(r, "pipeline"), Items.num(r, "seq", 0), (int) Items.num(r, "count", 0),
                Items.num(r, "totalBytes", 0), Items.instant(Items.str(r, "openedAt")), Items.instant(Items.str(r, "closedAt")),
                Items.str(r, "reason"), preview == null ? List.of() : List.of(preview)));
    }

    @Override
    public List<BatchItem> items(String batchId, long fromSlot, int limit) {
        List<BatchItem> out = new ArrayList<>();
        Map<String, AttributeValue> r = limit <= 0 ? null : get(batchKey(batchId));
        if (r == null || !CLOSED.equals(Items.str(r, "phase"))) return out;
        String pipeline = Items.str(r, "pipeline");
        long seq = Items.num(r, "seq", 0);
        long tickets = Items.num(r, "tickets", 0);
        for (long from = Math.max(1, fromSlot); from <= tickets && out.size() < limit; ) {
            long to = Math.min(tickets, from + Math.min(GET_CHUNK, Math.max(10, limit - out.size())) - 1);
            List<String> ids = slotIds(pipeline, seq, from, to);
            Map<String, Map<String, AttributeValue>> slots = batchGet(ids);
            for (int i = 0; i < ids.size() && out.size() < limit; i++) {
                Map<String, AttributeValue> s = slots.get(ids.get(i));
                if (s == null || isVoid(s)) continue;
                out.add(new BatchItem(from + i, Items.str(s, "eventKey"), Items.str(s, "uri"), Items.num(s, "size", 0),
                        Items.instant(Items.str(s, "receivedAt"))));
            }
            from = to + 1;
        }
        return out;
    }

    @Override
    public int purgeDecided(Instant before) {
        String cutoff = Items.sortable(before);
        Iterator<Map<String, AttributeValue>> keys = byState(DECIDED, "<", cutoff); // stateKey = closedAt#id
        int purged = 0;
        for (List<String> chunk = nextIds(keys); !chunk.isEmpty(); chunk = nextIds(keys)) {
            Map<String, Map<String, AttributeValue>> records = batchGet(chunk);
            for (String id : chunk) {
                Map<String, AttributeValue> r = records.get(id);
                if (r == null || !r.containsKey("decided") || Items.str(r, "closedAt").compareTo(cutoff) >= 0) continue;
                purge(r);
                if (Items.num(r, "count", 0) > 0) purged++; // an empty one (every ticket voided) never was a batch to anybody
            }
        }
        return purged;
    }

    /** Deletes a decided batch: each member's event (its dedup key) before its slot, the record last, so that a crash is redone. */
    private void purge(Map<String, AttributeValue> r) {
        String pipeline = Items.str(r, "pipeline");
        long seq = Items.num(r, "seq", 0);
        long tickets = Items.num(r, "tickets", 0);
        for (long from = 1; from <= tickets; from += GET_CHUNK) {
            List<String> ids = slotIds(pipeline, seq, from, Math.min(tickets, from + GET_CHUNK - 1));
            Map<String, Map<String, AttributeValue>> slots = batchGet(ids);
            for (int i = 0; i < ids.size(); i++) {
                Map<String, AttributeValue> s = slots.get(ids.get(i));
                if (s == null || isVoid(s)) continue;
                // only while the event still points here (a key forgotten and recorded again belongs to its new batch)
                delete(eventId(Items.str(s, "eventKey")), "#batch = :s AND #slot = :n",
                        Map.of(":s", Items.n(seq), ":n", Items.n(from + i)));
            }
            for (String id : ids) {
                if (slots.containsKey(id)) delete(id, null, Map.of());
            }
        }
        delete(Items.str(r, "id"), "attribute_exists(#decided)", Map.of());
    }

    // ------------------------------------------------------------------ items and ids

    private static String headId(String pipeline) {
        return HEAD + pipeline;
    }

    static String eventId(String key) {
        return EVENT + Items.boundedKey(key);
    }

    static String slotId(String pipeline, long seq, long slot) {
        return SLOT + pipeline + "#" + seq + "#" + slot;
    }

    private static List<String> slotIds(String pipeline, long seq, long from, long to) {
        List<String> ids = new ArrayList<>();
        for (long n = from; n <= to; n++) ids.add(slotId(pipeline, seq, n));
        return ids;
    }

    private static String batchKey(String batchId) {
        BatchId.seq(batchId); // validates it
        return BATCH + batchId;
    }

    private static String cutTickets(long seq) {
        return "cut" + seq + "Tickets";
    }

    private static String cutOpenedAt(long seq) {
        return "cut" + seq + "OpenedAt";
    }

    private static Map<String, AttributeValue> eventItem(String id, Arrival a, Instant now, Ticket t) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", Items.s(id));
        item.put("key", Items.s(a.key()));
        item.put("pipeline", Items.s(a.pipeline()));
        item.put("uri", Items.s(a.uri()));
        item.put("size", Items.n(a.sizeBytes()));
        item.put("receivedAt", Items.s(Items.sortable(now)));
        item.put("batch", Items.n(t.seq()));
        item.put("slot", Items.n(t.slot()));
        return item;
    }

    private static Map<String, AttributeValue> slotItem(String pipeline, long seq, long slot, Map<String, AttributeValue> event) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", Items.s(slotId(pipeline, seq, slot)));
        item.put("eventKey", event.get("key"));
        item.put("uri", event.get("uri"));
        item.put("size", event.get("size"));
        item.put("receivedAt", event.get("receivedAt"));
        return item;
    }

    private static Map<String, AttributeValue> voidSlot(String id) {
        return Map.of("id", Items.s(id), "void", AttributeValue.fromBool(true));
    }

    private static boolean isVoid(Map<String, AttributeValue> slot) {
        AttributeValue v = slot.get("void");
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    // ------------------------------------------------------------------ DynamoDB calls

    private void reached(Step step) {
        if (step == crashAfter) throw new SimulatedCrash(step);
    }

    private static <T> T call(String what, Supplier<T> work) {
        return Items.call("batch store: " + what, work);
    }

    private Map<String, AttributeValue> get(String id) {
        return call("read of " + id, () -> {
            var r = ddb.getItem(b -> b.tableName(table).key(Map.of("id", Items.s(id))).consistentRead(true));
            return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
        });
    }

    private Map<String, Map<String, AttributeValue>> batchGet(List<String> ids) {
        return Items.batchGet(ddb, table, "id", ids, true, "batch store: read from " + table);
    }

    /** PutItem if no item has its id; false if one has. */
    private boolean putIfAbsent(Map<String, AttributeValue> item) {
        return call("write of " + Items.str(item, "id"), () -> {
            try {
                ddb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", "id")));
                return true;
            } catch (ConditionalCheckFailedException exists) {
                return false;
            }
        });
    }

    /**
     * UpdateItem; the item after it, or null when the condition failed. Placeholders are the attribute
     * names themselves ({@code #seq} is {@code seq}); {@code values} may hold more than the expressions use.
     */
    private Map<String, AttributeValue> update(String id, String update, String condition, Map<String, AttributeValue> values) {
        Map<String, String> names = names(update, condition);
        Map<String, AttributeValue> used = used(values, update, condition);
        return call("update of " + id, () -> {
            try {
                return ddb.updateItem(b -> {
                    b.tableName(table).key(Map.of("id", Items.s(id))).updateExpression(update).expressionAttributeNames(names)
                            .returnValues(ReturnValue.ALL_NEW);
                    if (condition != null) b.conditionExpression(condition);
                    if (!used.isEmpty()) b.expressionAttributeValues(used);
                }).attributes();
            } catch (ConditionalCheckFailedException e) {
                return null;
            }
        });
    }

    /** DeleteItem (if {@code condition} holds); false when it did not. */
    private boolean delete(String id, String condition, Map<String, AttributeValue> values) {
        return call("delete of " + id, () -> {
            try {
                ddb.deleteItem(b -> {
                    b.tableName(table).key(Map.of("id", Items.s(id)));
                    if (condition != null) {
                        b.conditionExpression(condition).expressionAttributeNames(names(condition));
                        Map<String, AttributeValue> used = used(values, condition);
                        if (!used.isEmpty()) b.expressionAttributeValues(used);
                    }
                });
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        });
    }

    /** Keys of the by-state index under {@code state}, with {@code stateKey <op> bound}, in stateKey order. */
    private Iterator<Map<String, AttributeValue>> byState(String state, String op, String bound) {
        QueryRequest q = QueryRequest.builder().tableName(table).indexName(DynamoDbTables.BY_STATE)
                .keyConditionExpression("#state = :state AND #stateKey " + op + " :bound")
                .expressionAttributeNames(Map.of("#state", "state", "#stateKey", "stateKey"))
                .expressionAttributeValues(Map.of(":state", Items.s(state), ":bound", Items.s(bound)))
                .limit(GET_CHUNK).build();
        return Items.query(ddb, q, "batch store: query of " + table + "/" + DynamoDbTables.BY_STATE);
    }

    /** The next (up to {@value #GET_CHUNK}) ids from an index. */
    private static List<String> nextIds(Iterator<Map<String, AttributeValue>> keys) {
        Set<String> ids = new LinkedHashSet<>();
        while (ids.size() < GET_CHUNK && keys.hasNext()) ids.add(Items.str(keys.next(), "id"));
        return new ArrayList<>(ids);
    }

    private static Map<String, String> names(String... expressions) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String e : expressions) {
            if (e == null) continue;
            Matcher m = NAME.matcher(e);
            while (m.find()) names.put(m.group(), m.group().substring(1));
        }
        return names;
    }

    private static Map<String, AttributeValue> used(Map<String, AttributeValue> values, String... expressions) {
        Map<String, AttributeValue> used = new HashMap<>();
        for (String e : expressions) {
            if (e == null) continue;
            Matcher m = VALUE.matcher(e);
            while (m.find()) {
                AttributeValue v = values.get(m.group());
                if (v == null) throw new IllegalArgumentException("no value for " + m.group() + " in " + e);
                used.put(m.group(), v);
            }
        }
        return used;
    }
}
