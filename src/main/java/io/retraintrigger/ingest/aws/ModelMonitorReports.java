package io.retraintrigger.ingest.aws;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.DateTimeException;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the newest SageMaker Model Monitor violations report under an S3 prefix. A monitoring schedule
 * writes each execution's reports under {@code <output prefix>/<endpoint>/<schedule>/yyyy/MM/dd/HH/}; the
 * newest report is the one of the latest execution hour when keys carry that date path (a re-run of an
 * older hour, uploaded later, does not win), else the one last modified; ties go to the later key.
 * Lists every page of the prefix, with ListObjects and its marker (the last key of a page): the same
 * pages as ListObjectsV2, and S3-compatible stores that cannot make V2 continuation tokens (s3rver on
 * Node.js 17+, whose OpenSSL refuses the DES it encrypts them with) page it too.
 */
@ApplicationScoped
@Named("modelMonitorReports")
public class ModelMonitorReports {
    public static final String REPORT_FILE = "constraint_violations.json";
    private static final Pattern S3_PREFIX = Pattern.compile("s3://([^/]+)/?(.*)");
    private static final Pattern DATE_PATH = Pattern.compile("(?:^|/)(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/(?:[^/]+/)*" + Pattern.quote(REPORT_FILE) + "$");

    private final S3Client s3;
    private final int pageSize;

    @Inject
    public ModelMonitorReports(S3Client s3) {
        this(s3, 1000);
    }

    ModelMonitorReports(S3Client s3, int pageSize) {
        this.s3 = s3;
        this.pageSize = pageSize;
    }

    /** A report: where it is, when it was written, and its JSON. */
    public record Report(String uri, Instant lastModified, String json) {
    }

    /** The JSON of the newest {@code constraint_violations.json} under {@code s3://bucket/prefix}, if any. */
    public Optional<String> latestReport(String s3Prefix) {
        return latest(s3Prefix).map(Report::json);
    }

    public Optional<Report> latest(String s3Prefix) {
        Matcher m = s3Prefix == null ? null : S3_PREFIX.matcher(s3Prefix.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("invalid Model Monitor report location '" + s3Prefix + "': expected s3://bucket/prefix");
        }
        String bucket = m.group(1);
        String prefix = m.group(2);
        Optional<S3Object> newest = newestReport(bucket, prefix);
        return newest.map(o -> new Report("s3://" + bucket + "/" + o.key(), o.lastModified(),
                s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(o.key()).build()).asUtf8String()));
    }

    private static final Comparator<S3Object> NEWEST_LAST = Comparator.comparing(ModelMonitorReports::reportTime)
            .thenComparing(o -> o.lastModified() == null ? Instant.EPOCH : o.lastModified())
            .thenComparing(S3Object::key);

    /** Pages through the prefix, keeping only the newest report seen so far. */
    private Optional<S3Object> newestReport(String bucket, String prefix) {
        S3Object newest = null;
        String marker = null;
        while (true) {
            ListObjectsRequest.Builder request = ListObjectsRequest.builder().bucket(bucket).maxKeys(pageSize);
            if (!prefix.isEmpty()) request.prefix(prefix);
            if (marker != null) request.marker(marker);
            ListObjectsResponse page = s3.listObjects(request.build());
            for (S3Object o : page.contents()) {
                boolean report = o.key().equals(REPORT_FILE) || o.key().endsWith("/" + REPORT_FILE);
                if (report && (newest == null || NEWEST_LAST.compare(o, newest) > 0)) newest = o;
            }
            if (!Boolean.TRUE.equals(page.isTruncated()) || page.contents().isEmpty()) return Optional.ofNullable(newest);
            marker = page.nextMarker() != null ? page.nextMarker() : page.contents().get(page.contents().size() - 1).key();
        }
    }

    /** The execution hour of the key's date path, else the object's last modification. */
    static Instant reportTime(S3Object o) {
        Matcher d = DATE_PATH.matcher(o.key());
        if (d.find()) {
            try {
                return LocalDateTime.of(Integer.parseInt(d.group(1)), Integer.parseInt(d.group(2)), Integer.parseInt(d.group(3)),
                        Integer.parseInt(d.group(4)), 0).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException notADate) {
                // fall through to the modification time
            }
        }
        return o.lastModified() == null ? Instant.EPOCH : o.lastModified();
    }
}
