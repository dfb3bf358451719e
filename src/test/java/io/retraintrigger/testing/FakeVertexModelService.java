package io.retraintrigger.testing;

import com.google.cloud.aiplatform.v1.GetModelRequest;
import com.google.cloud.aiplatform.v1.MergeVersionAliasesRequest;
import com.google.cloud.aiplatform.v1.Model;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Vertex AI's ModelService (GetModel, MergeVersionAliases) as a gRPC service, for an in-process server: model
 * versions with their aliases, kept as Vertex keeps them (an alias on one version of a model at most:
 * adding one that another version has is refused, so a client must move it). Every request is recorded.
 */
public final class FakeVertexModelService {
    public static final String SERVICE = "google.cloud.aiplatform.v1.ModelService";
    static final MethodDescriptor<GetModelRequest, Model> GET = unary("GetModel", GetModelRequest.getDefaultInstance());
    static final MethodDescriptor<MergeVersionAliasesRequest, Model> MERGE = unary("MergeVersionAliases", MergeVersionAliasesRequest.getDefaultInstance());

    /** Every request, in order. */
    public final List<Message> requests = new CopyOnWriteArrayList<>();
    /** model name → version id → aliases. */
    public final Map<String, Map<String, List<String>>> models = new TreeMap<>();
    /** Failures to answer the next requests with. */
    public final Queue<Status> failures = new ConcurrentLinkedQueue<>();

    private static <Q extends Message> MethodDescriptor<Q, Model> unary(String method, Q request) {
        return MethodDescriptor.<Q, Model>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, method))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(Model.getDefaultInstance()))
                .build();
    }

    public ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(GET, ServerCalls.asyncUnaryCall(this::get))
                .addMethod(MERGE, ServerCalls.asyncUnaryCall(this::merge))
                .build();
    }

    /** A model with these versions (no aliases). */
    public synchronized void versions(String model, String... ids) {
        Map<String, List<String>> v = models.computeIfAbsent(model, k -> new TreeMap<>());
        for (String id : ids) v.putIfAbsent(id, new ArrayList<>());
    }

    public synchronized List<String> aliases(String model, String version) {
        return List.copyOf(models.get(model).get(version));
    }

    private synchronized void get(GetModelRequest r, StreamObserver<Model> out) {
        requests.add(r);
        if (fail(out)) return;
        String[] at = r.getName().split("@", 2);
        Map<String, List<String>> versions = models.get(at[0]);
        String version = versions == null ? null : at.length == 1 ? versions.keySet().iterator().next()
                : versions.containsKey(at[1]) ? at[1]
                : versions.entrySet().stream().filter(e -> e.getValue().contains(at[1])).map(Map.Entry::getKey).findFirst().orElse(null);
        if (version == null) {
            out.onError(Status.NOT_FOUND.withDescription("Model " + r.getName() + " not found").asRuntimeException());
            return;
        }
        out.onNext(model(at[0], version));
        out.onCompleted();
    }

    private synchronized void merge(MergeVersionAliasesRequest r, StreamObserver<Model> out) {
        requests.add(r);
        if (fail(out)) return;
        String[] at = r.getName().split("@", 2);
        Map<String, List<String>> versions = models.get(at[0]);
        if (versions == null || at.length < 2 || !versions.containsKey(at[1])) {
            out.onError(Status.NOT_FOUND.withDescription("Model version " + r.getName() + " not found").asRuntimeException());
            return;
        }
        List<String> mine = versions.get(at[1]);
        for (String a : r.getVersionAliasesList()) {
            if (a.startsWith("-")) {
                mine.remove(a.substring(1));
            } else if (versions.entrySet().stream().anyMatch(e -> !e.getKey().equals(at[1]) && e.getValue().contains(a))) {
                out.onError(Status.FAILED_PRECONDITION.withDescription("alias " + a + " is on another version").asRuntimeException());
                return;
            } else if (!mine.contains(a)) {
                mine.add(a);
            }
        }
        out.onNext(model(at[0], at[1]));
        out.onCompleted();
    }

    private Model model(String name, String version) {
        return Model.newBuilder().setName(name).setVersionId(version).addAllVersionAliases(models.get(name).get(version)).build();
    }

    private boolean fail(StreamObserver<Model> out) {
        Status s = failures.poll();
        if (s == null) return false;
        out.onError(s.asRuntimeException());
        return true;
    }
}
