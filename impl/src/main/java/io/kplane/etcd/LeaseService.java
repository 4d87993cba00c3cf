package io.kplane.etcd;

import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.grpc.stub.StreamObserver;
import io.kplane.kv.KvCommand;
import io.kplane.kv.KvError;
import io.kplane.kv.KvException;
import io.kplane.kv.MvccStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * etcd's Lease service. Grant, revoke and keep-alive go through the log (a keep-alive is a log
 * entry here, so every member knows the refresh; etcd refreshes on the leader only); TimeToLive
 * reads the local state and this member's deadline estimate; expiry is {@link LeaseExpiry}'s.
 */
final class LeaseService extends LeaseGrpc.LeaseImplBase {
    private final KvService kv;
    private final Headers headers;
    private final LeaseExpiry expiry;

    LeaseService(KvService kv, Headers headers, LeaseExpiry expiry) {
        this.kv = kv;
        this.headers = headers;
        this.expiry = expiry;
    }

    @Override
    public void leaseGrant(LeaseGrantRequest r, StreamObserver<LeaseGrantResponse> out) {
        if (r.getTTL() > MvccStore.MAX_LEASE_TTL) {
            out.onError(EtcdErrors.of(KvError.LEASE_TTL_TOO_LARGE));
            return;
        }
        LeaseGrantRequest withId = r.getID() != 0 ? r
                : r.toBuilder().setID(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)).build();
        KvService.reply(kv.write(KvCommand.LEASE_GRANT, withId, LeaseGrantResponse.parser()), out,
                resp -> resp.toBuilder().setHeader(headers.fill(resp.getHeader())).build());
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest r, StreamObserver<LeaseRevokeResponse> out) {
        KvService.reply(kv.write(KvCommand.LEASE_REVOKE, r, LeaseRevokeResponse.parser()), out,
                resp -> resp.toBuilder().setHeader(headers.fill(resp.getHeader())).build());
    }

    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> out) {
        return new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveRequest r) {
                kv.write(KvCommand.LEASE_KEEPALIVE, r, LeaseKeepAliveResponse.parser()).whenComplete((resp, e) -> {
                    LeaseKeepAliveResponse answer;
                    if (e == null) {
                        answer = resp.toBuilder().setHeader(headers.fill(resp.getHeader())).build();
                    } else if (unwrap(e) instanceof KvException k && k.error() == KvError.LEASE_NOT_FOUND) {
                        // etcd answers a keep-alive for an unknown lease with TTL 0, not an error
                        answer = LeaseKeepAliveResponse.newBuilder().setHeader(headers.of(0)).setID(r.getID()).setTTL(0).build();
                    } else {
                        synchronized (out) {
                            out.onError(EtcdErrors.toStatus(e));
                        }
                        return;
                    }
                    synchronized (out) {
                        out.onNext(answer);
                    }
                });
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                synchronized (out) {
                    out.onCompleted();
                }
            }
        };
    }

    private static Throwable unwrap(Throwable t) {
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException)) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest r, StreamObserver<LeaseTimeToLiveResponse> out) {
        CompletableFuture<LeaseTimeToLiveResponse> f = kv.readOnOwner(false, store -> {
            long granted = store.leaseTtl(r.getID());
            LeaseTimeToLiveResponse.Builder b = LeaseTimeToLiveResponse.newBuilder().setID(r.getID())
                    .setHeader(headers.of(store.currentRevision()));
            if (granted < 0) {
                return b.setTTL(-1).build(); // etcd: an unknown lease is TTL -1, not an error
            }
            b.setGrantedTTL(granted).setTTL(Math.max(0, expiry.remainingSeconds(r.getID())));
            if (r.getKeys()) {
                b.addAllKeys(store.leaseKeys(r.getID()));
            }
            return b.build();
        });
        KvService.reply(f, out, resp -> resp);
    }

    /**
     * LeaseLeases, which jetcd-grpc's (older) Lease proto lacks: served as a hand-encoded method of
     * the same service ({@code etcdserverpb.Lease/LeaseLeases}) so that {@code etcdctl lease list}
     * works. Response: {@code LeaseLeasesResponse{header = 1; repeated LeaseStatus{int64 ID = 1} leases = 2}}.
     */
    io.grpc.ServerServiceDefinition withLeaseLeases() {
        io.grpc.ServerServiceDefinition generated = bindService();
        io.grpc.MethodDescriptor<byte[], byte[]> leases = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(LeaseGrpc.SERVICE_NAME, "LeaseLeases"))
                .setRequestMarshaller(RawBytes.INSTANCE).setResponseMarshaller(RawBytes.INSTANCE).build();
        io.grpc.ServiceDescriptor.Builder descriptor = io.grpc.ServiceDescriptor.newBuilder(LeaseGrpc.SERVICE_NAME);
        generated.getMethods().forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
        descriptor.addMethod(leases);
        io.grpc.ServerServiceDefinition.Builder b = io.grpc.ServerServiceDefinition.builder(descriptor.build());
        generated.getMethods().forEach(b::addMethod);
        b.addMethod(leases, io.grpc.stub.ServerCalls.asyncUnaryCall((request, out) -> {
            CompletableFuture<byte[]> f = kv.readOnOwner(false, store -> {
                try {
                    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                    com.google.protobuf.CodedOutputStream o = com.google.protobuf.CodedOutputStream.newInstance(bytes);
                    o.writeMessage(1, headers.of(store.currentRevision()));
                    for (long id : store.leaseIds()) {
                        o.writeTag(2, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
                        o.writeUInt32NoTag(com.google.protobuf.CodedOutputStream.computeInt64Size(1, id));
                        o.writeInt64(1, id);
                    }
                    o.flush();
                    return bytes.toByteArray();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            KvService.reply(f, out, resp -> resp);
        }));
        return b.build();
    }

    /** A marshaller that passes message bytes through untouched. */
    enum RawBytes implements io.grpc.MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public java.io.InputStream stream(byte[] value) {
            return new java.io.ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(java.io.InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
