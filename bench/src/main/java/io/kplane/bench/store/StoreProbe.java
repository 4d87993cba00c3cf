package io.kplane.bench.store;

import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Waits for store members to serve the etcd Maintenance/Status call, with a leader elected. */
public final class StoreProbe {

    private StoreProbe() {}

    /** Blocks until every endpoint reports a leader, or throws after {@code timeout}. */
    public static void awaitReady(List<String> endpoints, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String endpoint : endpoints) {
            String lastError = "no answer";
            while (true) {
                try {
                    StatusResponse status = status(endpoint);
                    if (status.getLeader() != 0) {
                        break;
                    }
                    lastError = "no leader yet";
                } catch (RuntimeException e) {
                    lastError = e.getMessage();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("store member " + endpoint + " not ready after "
                            + timeout.toSeconds() + " s: " + lastError);
                }
                Thread.sleep(100);
            }
        }
    }

    /** One Maintenance/Status call to {@code host:port}. */
    public static StatusResponse status(String endpoint) {
        ManagedChannel channel = channel(endpoint);
        try {
            return MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance());
        } finally {
            channel.shutdownNow();
        }
    }

    static ManagedChannel channel(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return NettyChannelBuilder.forAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)))
                .usePlaintext()
                .maxInboundMessageSize(16 << 20)
                .build();
    }
}
