package io.kplane.server;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** Receives what a {@link PeerTransport} gets from the network. Called on I/O threads: must not block. */
public interface InboundListener {

    /** A frame of Raft messages from member {@code from}; the buffer is valid only during the call. */
    void onRaftBatch(long from, ByteBuffer body);

    /**
     * An administrative request on the peer port (tests and diagnostics: propose, status).
     * Completes with the response body, or exceptionally with the error to report.
     */
    CompletableFuture<byte[]> onAdminRequest(byte op, byte[] body);
}
