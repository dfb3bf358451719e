package io.retraintrigger.testing;

import com.google.cloud.aiplatform.v1.CreatePipelineJobRequest;
import com.google.cloud.aiplatform.v1.GetPipelineJobRequest;
import com.google.cloud.aiplatform.v1.PipelineJob;
import com.google.cloud.aiplatform.v1.PipelineState;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * google.cloud.aiplatform.v1.PipelineService, CreatePipelineJob and GetPipelineJob, as Vertex answers them:
 * a job id taken once per location (then ALREADY_EXISTS), names with the project number
 * ({@value #PROJECT_NUMBER}). The gRPC stub artifact (grpc-google-cloud-aiplatform-v1, PipelineServiceGrpc)
 * is not a dependency: the methods are described here from pipeline_service.proto with the messages of
 * proto-google-cloud-aiplatform-v1. Serve {@link #definition()} from an in-process server or a real one
 * on a loopback port ({@link FakeVertexResource}).
 */
public final class FakeVertexPipelineService {
    public static final String SERVICE = "google.cloud.aiplatform.v1.PipelineService";
    /** The project number in the names of the jobs this service creates. */
    public static final String PROJECT_NUMBER = "123456789012";
    public static final MethodDescriptor<CreatePipelineJobRequest, PipelineJob> CREATE = unary("CreatePipelineJob", CreatePipelineJobRequest.getDefaultInstance());
    public static final MethodDescriptor<GetPipelineJobRequest, PipelineJob> GET = unary("GetPipelineJob", GetPipelineJobRequest.getDefaultInstance());

    /** Every CreatePipelineJob request received, in order (failed ones too). */
    public final List<CreatePipelineJobRequest> creates = new CopyOnWriteArrayList<>();
    /** Every GetPipelineJob request received, in order. */
    public final List<GetPipelineJobRequest> gets = new CopyOnWriteArrayList<>();
    /** Created jobs by {@code locations/<region>/pipelineJobs/<id>}. */
    public final Map<String, PipelineJob> jobs = new ConcurrentHashMap<>();
    /** Statuses that the next creates fail with, one each. */
    public final Queue<Status> failures = new ConcurrentLinkedQueue<>();
    /** When set, every create fails with it. */
    public volatile Status failAll;
    /** When set, every get fails with it. */
    public volatile Status getFailure;

    private static <Q extends com.google.protobuf.Message> MethodDescriptor<Q, PipelineJob> unary(String method, Q request) {
        return MethodDescriptor.<Q, PipelineJob>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, method))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(PipelineJob.getDefaultInstance()))
                .build();
    }

    public void reset() {
        creates.clear();
        gets.clear();
        jobs.clear();
        failures.clear();
        failAll = null;
        getFailure = null;
    }

    public ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(CREATE, ServerCalls.asyncUnaryCall(this::create))
                .addMethod(GET, ServerCalls.asyncUnaryCall(this::get))
                .build();
    }

    private void create(CreatePipelineJobRequest request, StreamObserver<PipelineJob> out) {
        creates.add(request);
        Status failure = failAll != null ? failAll : failures.poll();
        if (failure != null) {
            out.onError(failure.asRuntimeException());
            return;
        }
        String key = location(request.getParent()) + "/pipelineJobs/" + request.getPipelineJobId();
        PipelineJob job = request.getPipelineJob().toBuilder()
                .setName("projects/" + PROJECT_NUMBER + "/" + key)
                .setState(PipelineState.PIPELINE_STATE_PENDING)
                .build();
        if (jobs.putIfAbsent(key, job) != null) {
            out.onError(Status.ALREADY_EXISTS.withDescription("Pipeline job with the specified ID already exists.").asRuntimeException());
            return;
        }
        out.onNext(job);
        out.onCompleted();
    }

    private void get(GetPipelineJobRequest request, StreamObserver<PipelineJob> out) {
        gets.add(request);
        if (getFailure != null) {
            out.onError(getFailure.asRuntimeException());
            return;
        }
        String name = request.getName();
        PipelineJob job = jobs.get(name.substring(name.indexOf("/locations/") + 1));
        if (job == null) {
            out.onError(Status.NOT_FOUND.withDescription("PipelineJob " + name + " not found").asRuntimeException());
            return;
        }
        out.onNext(job);
        out.onCompleted();
    }

    /** projects/P/locations/L -> locations/L (a job is found by either the project id or number). */
    private static String location(String parent) {
        return parent.substring(parent.indexOf("/locations/") + 1);
    }
}
