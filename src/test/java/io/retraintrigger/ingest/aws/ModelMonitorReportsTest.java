package io.retraintrigger.ingest.aws;

import io.retraintrigger.testing.NodeEmulator;
import io.retraintrigger.testing.S3rverResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.net.URI;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against s3rver (tools/node_modules): path-style, credentials S3RVER/S3RVER, us-east-1. */
class ModelMonitorReportsTest {
    private static NodeEmulator s3rver;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3rver = S3rverResource.startS3rver();
        s3 = S3Client.builder()
                .endpointOverride(URI.create(s3rver.url()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("S3RVER", "S3RVER")))
                .forcePathStyle(true)
                // s3rver stores aws-chunked bodies as they come: send plain bodies
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    @AfterAll
    static void stop() {
        if (s3 != null) s3.close();
        if (s3rver != null) s3rver.close();
    }

    private static String bucket() {
        String b = "monitoring-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(r -> r.bucket(b));
        return b;
    }

    private static void put(String bucket, String key, String body) {
        s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromString(body));
    }

    private static String report(String feature, double distance) {
        return "{\"violations\":[{\"feature_name\":\"" + feature + "\",\"constraint_check_type\":\"baseline_drift_check\","
                + "\"description\":\"Baseline drift distance: " + distance + " exceeds threshold: 0.1\"}]}";
    }

    @Test
    void theNewestExecutionHourWinsEvenWhenAnOlderReportWasUploadedLater() {
        String b = bucket();
        String base = "model-monitor/reports/prod-endpoint/prod-endpoint-data-quality/";
        put(b, base + "2026/03/10/11/constraint_violations.json", report("amount", 0.42));
        put(b, base + "2026/03/10/11/statistics.json", "{}");
        put(b, base + "2026/03/09/23/constraint_violations.json", report("amount", 0.05)); // a re-run of an older hour, written last
        put(b, base + "2026/03/10/11/constraints.json", "{}");

        ModelMonitorReports reports = new ModelMonitorReports(s3);
        Optional<ModelMonitorReports.Report> latest = reports.latest("s3://" + b + "/model-monitor/reports/prod-endpoint/");
        assertTrue(latest.isPresent());
        assertEquals("s3://" + b + "/" + base + "2026/03/10/11/constraint_violations.json", latest.get().uri());
        assertEquals(report("amount", 0.42), latest.get().json());
        assertEquals(Optional.of(report("amount", 0.42)), reports.latestReport("s3://" + b + "/model-monitor/reports/prod-endpoint"));
    }

    @Test
    void everyPageIsListed() {
        String b = bucket();
        for (int day = 1; day <= 7; day++) {
            put(b, String.format("reports/ep/sched/2026/03/%02d/05/constraint_violations.json", day), report("f" + day, 0.1 * day));
            put(b, String.format("reports/ep/sched/2026/03/%02d/05/statistics.json", day), "{}");
        }
        ModelMonitorReports reports = new ModelMonitorReports(s3, 2); // 14 objects in pages of 2
        assertEquals(Optional.of(report("f7", 0.1 * 7)), reports.latestReport("s3://" + b + "/reports/"));
    }

    @Test
    void withoutDatePathsTheLastModifiedWins() throws InterruptedException {
        String b = bucket();
        put(b, "custom/run-b/constraint_violations.json", report("b", 0.2));
        Thread.sleep(1100); // S3 keeps modification times to the second
        put(b, "custom/run-a/constraint_violations.json", report("a", 0.3));
        assertEquals(Optional.of(report("a", 0.3)), new ModelMonitorReports(s3).latestReport("s3://" + b + "/custom/"));
    }

    @Test
    void nothingUnderThePrefixIsEmpty() {
        String b = bucket();
        put(b, "elsewhere/2026/03/10/11/constraint_violations.json", report("x", 0.9));
        put(b, "reports/2026/03/10/11/statistics.json", "{}");
        assertEquals(Optional.empty(), new ModelMonitorReports(s3).latestReport("s3://" + b + "/reports/"));
    }

    @Test
    void aLocationThatIsNotAnS3PrefixIsRefused() {
        ModelMonitorReports reports = new ModelMonitorReports(s3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reports.latestReport("https://bucket/prefix"));
        assertTrue(e.getMessage().contains("s3://bucket/prefix"), e.getMessage());
    }
}
