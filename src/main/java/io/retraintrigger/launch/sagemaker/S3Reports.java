package io.retraintrigger.launch.sagemaker;

import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.ReportReader;
import io.retraintrigger.launch.RetryableLaunchException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.util.Optional;
import java.util.regex.Matcher;

/** Evaluation reports on S3 ({@code s3://bucket/key}). */
@ApplicationScoped
public class S3Reports implements ReportReader {
    private final S3Client s3;

    @Inject
    public S3Reports(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public boolean reads(String uri) {
        return uri.startsWith("s3://");
    }

    @Override
    public Optional<byte[]> read(String uri) {
        Matcher m = SageMakerLauncher.S3_URI.matcher(uri);
        if (!m.matches() || m.group(2) == null || m.group(2).isEmpty()) {
            throw new LaunchRejectedException("'" + uri + "' is not an s3://bucket/key URI", null);
        }
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(m.group(1)).key(m.group(2))).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) return Optional.empty();
            throw SageMakerLauncher.classify("S3 (report " + uri + ")", e);
        } catch (SdkClientException e) {
            throw new RetryableLaunchException("S3 unreachable for report " + uri + ": " + e.getMessage(), e);
        }
    }
}
