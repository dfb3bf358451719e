package io.retraintrigger.ingest.azure;

import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.retraintrigger.ingest.azure.Fixtures.read;
import static io.retraintrigger.ingest.azure.Fixtures.with;
import static io.retraintrigger.ingest.azure.Fixtures.without;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlobStorageEventParserTest {
    private static final String CREATED_EG = "storage-blob-created-eventgrid.json";
    private static final String CREATED_CE = "storage-blob-created-cloudevents.json";
    private static final String GEN2_FLUSH = "storage-gen2-blob-created-flushwithclose-eventgrid.json";
    private final BlobStorageEventParser parser = new BlobStorageEventParser();

    private TriggerEvent one(String body) {
        List<TriggerEvent> events = parser.parse(body);
        assertEquals(1, events.size(), () -> "gave " + events);
        return events.get(0);
    }

    @Test
    void documentedBlobCreatedInTheEventGridSchemaIsADataArrival() {
        TriggerEvent e = one(read(CREATED_EG));
        assertEquals(EventKind.DATA_ARRIVAL, e.kind());
        assertEquals("https://my-storage-account.blob.core.windows.net/testcontainer/new-file.txt#0x8D4BCC2E4835CD0", e.id(), "the write (blob and eTag), not the event id");
        assertEquals(Cloud.AZURE, e.cloud());
        assertEquals("Microsoft.Storage", e.source());
        assertNull(e.pipeline());
        assertEquals("https://my-storage-account.blob.core.windows.net/testcontainer/new-file.txt", e.dataUri());
        assertEquals(524288, e.sizeBytes());
        assertEquals(Instant.parse("2017-06-26T18:41:00.9584103Z"), e.occurredAt());
        assertEquals(Map.of("api", "PutBlockList"), e.attributes());
    }

    @Test
    void theSameEventInTheCloudEventsSchemaIsTheSameArrival() {
        TriggerEvent eg = one(read(CREATED_EG));
        TriggerEvent ce = one(read(CREATED_CE));
        assertEquals(eg, ce, "one storage event, whichever schema the subscription delivers, is one event (one dedup key)");
    }

    @Test
    void aSingleEventOutsideAnArrayIsReadToo() {
        TriggerEvent e = one(read("storage-blob-created-cloudevent-single.json"));
        assertEquals("https://gridtesting.blob.core.windows.net/testcontainer/{new-file}#0x8D76C39E4407333", e.id());
        assertEquals("https://gridtesting.blob.core.windows.net/testcontainer/{new-file}", e.dataUri());
        assertEquals(30699, e.sizeBytes());
        assertEquals(Instant.parse("2019-11-18T15:13:39.4589254Z"), e.occurredAt());
    }

    @Test
    void anArrayOfEventsGivesOneEventEachInOrder() {
        List<TriggerEvent> events = parser.parse(read("storage-events-batch-eventgrid.json"));
        assertEquals(List.of(EventKind.DATA_ARRIVAL, EventKind.IGNORED, EventKind.DATA_ARRIVAL), events.stream().map(TriggerEvent::kind).toList());
        assertEquals(List.of("https://mlopsdataprod.blob.core.windows.net/labels/fraud/2026-03-10/part-0001.parquet#0x8DC40F1B00000A1", "6c1f9a20-801e-0047-2f3a-5b8e4d06a002", "https://mlopsdataprod.blob.core.windows.net/labels/fraud/2026-03-10/part-0002.parquet#0x8DC40F1B00000A3"),
                events.stream().map(TriggerEvent::id).toList());
        assertEquals("https://mlopsdataprod.blob.core.windows.net/labels/fraud/2026-03-10/part-0001.parquet", events.get(0).dataUri());
        assertEquals(2048, events.get(0).sizeBytes());
        assertEquals("PutBlob", events.get(0).attributes().get("api"));
        assertEquals(734003200L, events.get(2).sizeBytes());
        assertTrue(events.get(1).attributes().get("reason").contains("Microsoft.Storage.BlobDeleted"));
    }

    @Test
    void dataLakeGen2FlushWithCloseIsAnArrivalOnTheBlobEndpoint() {
        TriggerEvent e = one(read(GEN2_FLUSH));
        assertEquals(EventKind.DATA_ARRIVAL, e.kind());
        assertEquals("https://my-storage-account.blob.core.windows.net/my-file-system/labels/2026-03-10/part-0001.parquet", e.dataUri(),
                "the dfs endpoint URL is rewritten to the blob endpoint, so that data-source prefixes match");
        assertEquals("https://my-storage-account.dfs.core.windows.net/my-file-system/labels/2026-03-10/part-0001.parquet",
                e.attributes().get(BlobStorageEventParser.ORIGINAL_URL));
        assertEquals("FlushWithClose", e.attributes().get("api"));
        assertEquals(1048576, e.sizeBytes(), "contentLength of a FlushWithClose is the file's length");
        assertEquals("https://my-storage-account.blob.core.windows.net/my-file-system/labels/2026-03-10/part-0001.parquet#0x8DC40F1B2A3C4D5", e.id());
    }

    @Test
    void dataLakeGen2CreateFileIsIgnoredBecauseItsFlushWithCloseCarriesTheData() {
        TriggerEvent e = one(read("storage-gen2-blob-created-createfile-eventgrid.json"));
        assertEquals(EventKind.IGNORED, e.kind());
        assertEquals("831e1650-001e-001b-66ab-eeb76e069631", e.id(), "an ignored event keeps its event id");
        assertTrue(e.attributes().get("reason").contains("BlobCreated by CreateFile"), e.attributes().toString());
        assertTrue(e.attributes().get("reason").contains("https://my-storage-account.dfs.core.windows.net/my-file-system/new-file.txt"));
    }

    @Test
    void sftpCommitIsAnArrivalAndSftpCreateIsNot() {
        TriggerEvent commit = one(read("storage-sftp-blob-created-commit-cloudevents.json"));
        assertEquals(EventKind.DATA_ARRIVAL, commit.kind());
        assertEquals("https://my-storage-account.blob.core.windows.net/testcontainer/new-file.txt", commit.dataUri());
        TriggerEvent create = one(with("storage-sftp-blob-created-commit-cloudevents.json", "0.data.api", "SftpCreate"));
        assertEquals(EventKind.IGNORED, create.kind());
    }

    @Test
    void putBlobAndCopyBlobAreArrivalsAndAnUnknownApiIsNot() {
        assertEquals(EventKind.DATA_ARRIVAL, one(with(CREATED_EG, "0.data.api", "PutBlob")).kind());
        assertEquals(EventKind.DATA_ARRIVAL, one(with(CREATED_EG, "0.data.api", "CopyBlob")).kind());
        TriggerEvent unknown = one(with(CREATED_EG, "0.data.api", "SomeFutureApi"));
        assertEquals(EventKind.IGNORED, unknown.kind());
        assertTrue(unknown.attributes().get("reason").contains("not a completed write"), unknown.attributes().toString());
    }

    @Test
    void otherStorageEventsAreIgnoredWithWhatTheyWere() {
        TriggerEvent deleted = one(read("storage-blob-deleted-eventgrid.json"));
        assertEquals(EventKind.IGNORED, deleted.kind());
        assertEquals("4c2359fe-001e-00ba-0e04-58586806d298", deleted.id());
        assertEquals(Instant.parse("2017-11-07T20:09:22.5674003Z"), deleted.occurredAt());
        assertEquals("Azure Storage event Microsoft.Storage.BlobDeleted on https://my-storage-account.blob.core.windows.net/testcontainer/file-to-delete.txt"
                + " asks for no training", deleted.attributes().get("reason"));
        TriggerEvent tier = one(read("storage-blob-tier-changed-cloudevent.json"));
        assertEquals(EventKind.IGNORED, tier.kind());
        assertEquals("0fdefc06-b01e-0034-39f6-4016610696f6", tier.id());
        TriggerEvent policy = one(with(with(read(CREATED_CE).replace("Microsoft.Storage.BlobCreated", "Microsoft.Storage.LifecyclePolicyCompleted"),
                "0.time", "2022-05-26T00:00:40.1880331"), "0.data", Map.of("scheduleTime", "2022/05/24 22:57:29.3260160")));
        assertEquals(EventKind.IGNORED, policy.kind());
        assertEquals(Instant.parse("2022-05-26T00:00:40.1880331Z"), policy.occurredAt(), "a time without offset is UTC");
    }

    @Test
    void blobUrlsKeepTheirPathAndLowerCaseTheHost() {
        assertEquals("https://myacct.blob.core.windows.net/c/Red%20Flower+v2.txt",
                BlobStorageEventParser.blobUrl("https://MyAcct.Blob.Core.Windows.Net/c/Red%20Flower+v2.txt", "url"));
        assertEquals("https://acct.blob.core.chinacloudapi.cn/fs/a/b.csv",
                BlobStorageEventParser.blobUrl("https://acct.dfs.core.chinacloudapi.cn/fs/a/b.csv", "url"));
        assertEquals("http://127.0.0.1:10000/devstoreaccount1/c/b", BlobStorageEventParser.blobUrl("http://127.0.0.1:10000/devstoreaccount1/c/b", "url"),
                "an emulator URL is kept");
        TriggerEvent unchanged = one(read(CREATED_EG));
        assertFalse(unchanged.attributes().containsKey(BlobStorageEventParser.ORIGINAL_URL));
    }

    @Test
    void missingFieldsAreNamedWithTheirPath() {
        refused(422, "missing field: [0].data.url", () -> parser.parse(without(CREATED_EG, "0.data.url")));
        refused(422, "missing field: [0].data.contentLength", () -> parser.parse(without(CREATED_EG, "0.data.contentLength")));
        refused(422, "missing field: [0].data.api", () -> parser.parse(without(CREATED_EG, "0.data.api")));
        refused(422, "missing field: [0].data", () -> parser.parse(without(CREATED_EG, "0.data")));
        refused(422, "missing field: [0].id", () -> parser.parse(without(CREATED_EG, "0.id")));
        refused(422, "missing field: [0].eventTime", () -> parser.parse(without(CREATED_EG, "0.eventTime")));
        refused(422, "missing field: [0].type", () -> parser.parse(without(CREATED_CE, "0.type")));
    }

    @Test
    void missingFieldInALaterEventIsNamedByItsIndex() {
        refused(422, "missing field: [2].data.url", () -> parser.parse(without("storage-events-batch-eventgrid.json", "2.data.url")));
    }

    @Test
    void invalidFieldsAreNamed() {
        refused(422, "invalid field [0].data.contentLength", () -> parser.parse(with(CREATED_EG, "0.data.contentLength", -1)));
        refused(422, "invalid field [0].data.contentLength", () -> parser.parse(with(CREATED_EG, "0.data.contentLength", "big")));
        refused(422, "invalid field [0].data.url", () -> parser.parse(with(CREATED_EG, "0.data.url", "not a url")));
        refused(422, "invalid field [0].data.url", () -> parser.parse(with(CREATED_EG, "0.data.url", "https://acct.blob.core.windows.net/")));
        refused(422, "invalid field [0].eventTime", () -> parser.parse(with(CREATED_EG, "0.eventTime", "yesterday")));
        refused(422, "invalid field [0].data", () -> parser.parse(with(CREATED_EG, "0.data", "text")));
        refused(422, "invalid field [0].specversion", () -> parser.parse(with(CREATED_CE, "0.specversion", "0.3")));
    }

    @Test
    void anEventOfAnotherServiceIsRefused() {
        refused(422, "unrecognized Azure message: expected an event of type Microsoft.Storage.BlobCreated, got Event Grid event [0].eventType"
                + " 'Microsoft.MachineLearningServices.RunCompleted'", () -> parser.parse(read("ml-run-completed-eventgrid.json")));
    }

    @Test
    void malformedJsonIs400AndAnEmptyArrayIs422() {
        refused(400, "malformed JSON", () -> parser.parse("[{\"id\": "));
        refused(400, "malformed JSON", () -> parser.parse(" "));
        refused(422, "empty JSON array", () -> parser.parse("[]"));
    }
}
