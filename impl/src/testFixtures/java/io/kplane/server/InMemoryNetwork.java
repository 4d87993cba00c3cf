package io.kplane.server;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-process network for tests: frames are copied and handed to the receiver's listener on the
 * sender's thread. Members can be cut off ({@link #isolate}) and reconnected ({@link #heal}). A test
 * fixture: no command runs members in one process, so production code has no use for it.
 */
public final class InMemoryNetwork {

    private final Map<Long, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Set<Long> isolated = ConcurrentHashMap.newKeySet();

    /** The transport of member {@code id}. */
    public PeerTransport transport(long id) {
        return new Endpoint(id);
    }

    /** Drops every frame to and from {@code id} until {@link #heal}. */
    public void isolate(long id) {
        isolated.add(id);
    }

    /** Reconnects every isolated member. */
    public void heal() {
        isolated.clear();
    }

    /** Sends an admin request to member {@code id} as a client on its peer port would. */
    public CompletableFuture<byte[]> admin(long id, byte op, byte[] body) {
        Endpoint e = endpoints.get(id);
        if (e == null || e.listener == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("member " + id + " not running"));
        }
        return e.listener.onAdminRequest(op, body);
    }

    private final class Endpoint implements PeerTransport {
        final long id;
        volatile InboundListener listener;

        Endpoint(long id) {
            this.id = id;
        }

        @Override
        public void start(InboundListener listener) {
            this.listener = listener;
            endpoints.put(id, this);
        }

        @Override
        public boolean send(long to, ByteBuffer body) {
            Endpoint target = endpoints.get(to);
            if (target == null || target.listener == null || isolated.contains(id) || isolated.contains(to)) {
                return false;
            }
            ByteBuffer copy = ByteBuffer.allocate(body.remaining()).put(body).flip();
            target.listener.onRaftBatch(id, copy);
            return true;
        }

        @Override
        public boolean isConnected(long to) {
            return endpoints.containsKey(to) && !isolated.contains(id) && !isolated.contains(to);
        }

        @Override
        public void close() {
            endpoints.remove(id, this);
        }
    }
}
