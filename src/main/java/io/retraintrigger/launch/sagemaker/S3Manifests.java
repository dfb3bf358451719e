package io.retraintrigger.launch.sagemaker;

import io.retraintrigger.launch.DataManifest;
import io.retraintrigger.launch.ManifestStore;
import io.retraintrigger.launch.RetryableLaunchException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** Manifests on S3 ({@code s3://bucket[/prefix]}), as SageMaker pipelines read them. */
final class S3Manifests implements ManifestStore {
    private final S3Client s3;

    S3Manifests(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public String put(String location, String name, byte[] json) {
        DataManifest.Location at = DataManifest.locate(SageMakerLauncher.S3_URI, location, name, "an s3://bucket/prefix URI");
        String uri = "s3://" + at.bucket() + "/" + at.object();
        try {
            s3.putObject(PutObjectRequest.builder().bucket(at.bucket()).key(at.object()).contentType("application/json").build(), RequestBody.fromBytes(json));
        } catch (AwsServiceException e) {
            throw SageMakerLauncher.classify("S3 (manifest " + uri + ")", e);
        } catch (SdkClientException e) {
            throw new RetryableLaunchException("S3 unreachable for manifest " + uri + ": " + e.getMessage(), e);
        }
        return uri;
    }
}
