package io.retraintrigger.launch.sagemaker;

import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.ModelPromoter;
import io.retraintrigger.launch.RetryableLaunchException;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.EvaluationReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ModelApprovalStatus;
import software.amazon.awssdk.services.sagemaker.model.UpdateModelPackageRequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Promotes a model in the SageMaker Model Registry: UpdateModelPackage sets the model package's
 * ModelApprovalStatus to Approved, which is what a registry-driven deployment (an EventBridge rule on
 * "SageMaker Model Package State Change", a SageMaker project's deploy pipeline) listens for. Approving an
 * approved package changes nothing, so a resend is harmless. The report's {@code model} is the package's ARN.
 */
@ApplicationScoped
public class SageMakerPromoter implements ModelPromoter {
    private static final Logger LOG = Logger.getLogger(SageMakerPromoter.class);
    /** A versioned model package: arn:aws:sagemaker:REGION:ACCOUNT:model-package/GROUP/VERSION. */
    static final Pattern MODEL_PACKAGE_ARN = Pattern.compile("arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\\d{12}:model-package/[^/]+/\\d+");
    /** UpdateModelPackage: ApprovalDescription is at most 1024 characters. */
    static final int MAX_DESCRIPTION = 1024;

    private final SageMakerClient sageMaker;

    @Inject
    public SageMakerPromoter(SageMakerClient sageMaker) {
        this.sageMaker = sageMaker;
    }

    @Override
    public String target() {
        return SageMakerLauncher.TARGET;
    }

    @Override
    public Map<String, String> promote(PipelineSettings pipeline, Decision decision, EvaluationReport report) {
        String arn = report.model();
        if (arn == null || !MODEL_PACKAGE_ARN.matcher(arn).matches()) {
            throw new LaunchRejectedException("the report's model '" + arn + "' is not the ARN of a versioned SageMaker model package"
                    + " (arn:aws:sagemaker:REGION:ACCOUNT:model-package/GROUP/VERSION)", null);
        }
        String description = "promoted by retrain-trigger: decision " + decision.id() + " of pipeline " + pipeline.name()
                + " passed its guardrail checks";
        if (description.length() > MAX_DESCRIPTION) description = description.substring(0, MAX_DESCRIPTION);
        UpdateModelPackageRequest request = UpdateModelPackageRequest.builder().modelPackageArn(arn)
                .modelApprovalStatus(ModelApprovalStatus.APPROVED).approvalDescription(description).build();
        try {
            sageMaker.updateModelPackage(request);
        } catch (AwsServiceException e) {
            throw SageMakerLauncher.classify("SageMaker", e);
        } catch (SdkClientException e) {
            throw new RetryableLaunchException("SageMaker unreachable: " + e.getMessage(), e);
        }
        LOG.infof("sagemaker: approved model package %s (decision %s)", arn, decision.id());
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("ModelPackageArn", arn);
        sent.put("ModelApprovalStatus", ModelApprovalStatus.APPROVED.toString());
        sent.put("ApprovalDescription", description);
        return sent;
    }
}
