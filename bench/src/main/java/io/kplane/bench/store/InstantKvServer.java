package io.kplane.bench.store;

import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * An etcd KV endpoint that answers every request at once without storing anything. Driving it
 * measures the load client's own ceiling on this machine: a store can only be measured up to the
 * rate the client can issue (DESIGN.md §5).
 */
public final class InstantKvServer implements StoreCluster {

    private static final ResponseHeader HEADER = ResponseHeader.newBuilder().setClusterId(1).setMemberId(1)
            .setRevision(1).setRaftTerm(1).build();

    private final Server server;

    private InstantKvServer(Server server) {
        this.server = server;
    }

    public static InstantKvServer start() throws IOException {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new KVGrpc.KVImplBase() {
                    @Override public void put(PutRequest request, StreamObserver<PutResponse> out) {
                        out.onNext(PutResponse.newBuilder().setHeader(HEADER).build());
                        out.onCompleted();
                    }
                    @Override public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
                        out.onNext(RangeResponse.newBuilder().setHeader(HEADER).build());
                        out.onCompleted();
                    }
                    @Override public void txn(TxnRequest request, StreamObserver<TxnResponse> out) {
                        out.onNext(TxnResponse.newBuilder().setHeader(HEADER).setSucceeded(true).build());
                        out.onCompleted();
                    }
                })
                .addService(new MaintenanceGrpc.MaintenanceImplBase() {
                    @Override public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
                        out.onNext(StatusResponse.newBuilder().setHeader(HEADER).setLeader(1).setVersion("instant").build());
                        out.onCompleted();
                    }
                })
                .build()
                .start();
        return new InstantKvServer(server);
    }

    @Override
    public String system() {
        return "instant";
    }

    @Override
    public List<String> clientEndpoints() {
        return List.of("127.0.0.1:" + server.getPort());
    }

    @Override
    public List<Long> pids() {
        return List.of(ProcessHandle.current().pid());
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
