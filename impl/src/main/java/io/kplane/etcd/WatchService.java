package io.kplane.etcd;

import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** etcd's Watch service: one bidirectional stream carries many watchers; delivery is {@link WatchHub}'s. */
final class WatchService extends WatchGrpc.WatchImplBase {
    private final WatchHub hub;

    WatchService(WatchHub hub) {
        this.hub = hub;
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
        ServerCallStreamObserver<WatchResponse> out = (ServerCallStreamObserver<WatchResponse>) responses;
        WatchHub.Stream stream = hub.open(out);
        out.setOnCancelHandler(() -> hub.close(stream, false));
        return new StreamObserver<>() {
            @Override
            public void onNext(WatchRequest r) {
                switch (r.getRequestUnionCase()) {
                    case CREATE_REQUEST -> hub.create(stream, r.getCreateRequest());
                    case CANCEL_REQUEST -> hub.cancel(stream, r.getCancelRequest().getWatchId());
                    case PROGRESS_REQUEST -> hub.progress(stream);
                    default -> { } // like etcd: an unknown request does not end the stream
                }
            }

            @Override
            public void onError(Throwable t) {
                hub.close(stream, false);
            }

            @Override
            public void onCompleted() {
                // Like etcd 3.4: a client's half-close does not end the stream; watchers keep
                // delivering until the client cancels the call.
            }
        };
    }
}
