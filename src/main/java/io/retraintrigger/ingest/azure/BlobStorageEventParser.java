package io.retraintrigger.ingest.azure;

import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure Blob Storage events from Event Grid ({@code Microsoft.Storage.*}), in the Event Grid event schema or
 * the CloudEvents 1.0 schema, one event or an array of them.
 * <ul>
 *   <li>{@code Microsoft.Storage.BlobCreated} whose {@code data.api} completed a write is a data arrival:
 *   uri = {@code data.url}, size = {@code data.contentLength}, id = uri#eTag (the event id without an eTag), time = {@code eventTime}
 *   / {@code time}. Completed writes, per Microsoft's documentation: {@code PutBlob}, {@code PutBlockList}
 *   (the block blob is committed), {@code CopyBlob} (raised when the copy has committed the blob; on an
 *   account with a hierarchical namespace it is raised when the copy <em>starts</em>, so a large copy may
 *   still be running: the batch window normally covers it), {@code FlushWithClose} (Data Lake Storage
 *   Gen2: the file is committed, {@code contentLength} is its length) and {@code SftpCommit} (an SFTP
 *   upload's contents committed at close).</li>
 *   <li>{@code BlobCreated} by any other api is ignored: {@code CreateFile} (Gen2) and {@code SftpCreate}
 *   create an empty file that a later {@code FlushWithClose} / {@code SftpCommit} fills, which is the
 *   event that counts; an unknown api is not taken for a completed write.</li>
 *   <li>every other storage event ({@code BlobDeleted}, {@code BlobTierChanged}, {@code BlobRenamed},
 *   {@code DirectoryCreated}, {@code AsyncOperationInitiated}, policy events, ...) is ignored.</li>
 * </ul>
 * URIs: the data-source prefixes of pipelines are blob endpoint URLs
 * ({@code https://<account>.blob.core.windows.net/<container>/<path>}). A Data Lake Storage Gen2 client
 * produces events whose {@code url} is on the dfs endpoint ({@code https://<account>.dfs.core.windows.net/
 * <file system>/<path>}): the same object, so the host is rewritten to the blob endpoint (also for the
 * sovereign clouds' {@code dfs.core.*} suffixes), and the event keeps the original URL in attribute
 * {@value #ORIGINAL_URL}. The host is lower-cased (account names are lower case); the path is kept as sent
 * (URL-encoded as the client wrote it). Attribute {@value #API} records the operation.
 * Pure: no Camel, no CDI.
 */
public final class BlobStorageEventParser {
    public static final String SOURCE = "Microsoft.Storage";
    public static final String TYPE_PREFIX = "Microsoft.Storage.";
    public static final String BLOB_CREATED = "Microsoft.Storage.BlobCreated";
    /** The {@code data.api} values of a BlobCreated event whose blob holds its data. */
    public static final Set<String> COMPLETED_WRITES = Set.of("PutBlob", "PutBlockList", "CopyBlob", "FlushWithClose", "SftpCommit");
    public static final String API = "api";
    public static final String ORIGINAL_URL = "originalUrl";

    private static final Set<String> COMPLETED_WRITES_LOWER = COMPLETED_WRITES.stream()
            .map(s -> s.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final Pattern HTTP_URL = Pattern.compile("(?i)(https?)://([^/?#\\s]+)(/\\S*)");
    /** {@code <account>.dfs.core.windows.net} and the sovereign clouds' {@code dfs.core.*} suffixes. */
    private static final Pattern DFS_HOST = Pattern.compile("(?i)([^.]+)\\.dfs\\.(core\\..+)");

    /** One Service Bus message body: one storage event, or an array of them. */
    public List<TriggerEvent> parse(String body) {
        return EventGridEvent.each(body, this::parse);
    }

    TriggerEvent parse(EventGridEvent e) {
        if (!e.type().startsWith(TYPE_PREFIX)) e.expect(BLOB_CREATED);
        if (!BLOB_CREATED.equals(e.type())) {
            return TriggerEvent.ignored(e.id(), Cloud.AZURE, SOURCE, e.time(),
                    "Azure Storage event " + e.type() + " on " + what(e) + " asks for no training");
        }
        JsonAt data = e.data();
        String api = data.text("api");
        if (!COMPLETED_WRITES_LOWER.contains(api.toLowerCase(Locale.ROOT))) {
            return TriggerEvent.ignored(e.id(), Cloud.AZURE, SOURCE, e.time(),
                    "Azure Storage BlobCreated by " + api + " on " + what(e) + " is not a completed write (data arrives with "
                            + "PutBlob, PutBlockList, CopyBlob, FlushWithClose or SftpCommit); asks for no training");
        }
        String url = data.text("url");
        String uri = blobUrl(url, data.whereActual("url"));
        long size = data.wholeNumber("contentLength");
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(API, api);
        if (!uri.equals(url)) attributes.put(ORIGINAL_URL, url);
        // by the write itself (the blob and its eTag), not the event id: one write delivered by two subscriptions counts once
        String eTag = data.optText("eTag");
        String id = eTag == null || eTag.isBlank() ? e.id() : uri + "#" + eTag.replace("\"", "");
        return new TriggerEvent(id, EventKind.DATA_ARRIVAL, Cloud.AZURE, SOURCE, null, e.time(), uri, size, List.of(), null, attributes);
    }

    /**
     * The blob endpoint URL of a blob: a Data Lake Storage Gen2 {@code <account>.dfs.core.<suffix>} host
     * becomes {@code <account>.blob.core.<suffix>}; scheme and host lower case; path as sent.
     */
    public static String blobUrl(String url, String where) {
        Matcher m = HTTP_URL.matcher(url.trim());
        if (!m.matches() || m.group(3).length() < 2) {
            throw JsonAt.invalid(where, "'" + url + "' is not the http(s) URL of a blob");
        }
        String host = m.group(2).toLowerCase(Locale.ROOT);
        Matcher dfs = DFS_HOST.matcher(host);
        if (dfs.matches()) host = dfs.group(1) + ".blob." + dfs.group(2);
        return m.group(1).toLowerCase(Locale.ROOT) + "://" + host + m.group(3);
    }

    private static String what(EventGridEvent e) {
        JsonAt data = e.optData();
        String url = data == null ? null : data.node().path("url").asText(null);
        if (url == null && data != null) url = data.node().path("destinationUrl").asText(null);
        if (url != null && !url.isBlank()) return url;
        return e.subject() != null ? e.subject() : e.source() != null ? e.source() : "(no subject)";
    }
}
