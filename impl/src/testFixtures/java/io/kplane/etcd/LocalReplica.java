package io.kplane.etcd;

import io.kplane.kv.KvStateMachine;
import io.kplane.server.LeadershipListener;
import io.kplane.server.Member;
import io.kplane.server.Replica;
import io.kplane.server.ReplicaStatus;
import io.kplane.server.ReplicaStoppedException;
import io.kplane.server.StateMachine;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * A single-member {@link Replica} that applies each proposal at once on one owner thread.
 * <b>Not replicated and not durable</b>: nothing is written to disk and there are no peers. It
 * exists so that the etcd API layer can be tested (and benchmarked for its own ceiling) without the
 * Raft runtime; a real member is {@code io.kplane.server}'s.
 */
public final class LocalReplica implements Replica, AutoCloseable {
    public static final long MEMBER_ID = 0x10c41L;
    public static final long CLUSTER_ID = 0xc1057e7L;

    private final StateMachine stateMachine;
    private final ExecutorService owner;
    private long index; // owner thread only
    private volatile long applied;
    private volatile List<String> clientUrls = List.of();

    public LocalReplica(KvStateMachine stateMachine) {
        this.stateMachine = new KvReplicatedStateMachine(stateMachine);
        this.owner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kv-local-apply");
            t.setDaemon(true);
            return t;
        });
    }

    public LocalReplica() {
        this(new KvStateMachine());
    }

    /** The URLs reported for this member by the Cluster API. */
    public void setClientUrls(List<String> urls) {
        this.clientUrls = List.copyOf(urls);
    }

    @Override
    public CompletableFuture<byte[]> propose(byte[] command) {
        return submit(() -> {
            byte[] r = stateMachine.apply(++index, command);
            applied = index;
            return r;
        });
    }

    @Override
    public CompletableFuture<Void> readBarrier() {
        return submit(() -> null);
    }

    @Override
    public ReplicaStatus status() {
        long i = applied;
        return new ReplicaStatus(MEMBER_ID, CLUSTER_ID, MEMBER_ID, 1, i, i,
                List.of(new Member(MEMBER_ID, "local", List.of(), clientUrls, false)), -1);
    }

    @Override
    public <T> CompletableFuture<T> query(Function<StateMachine, T> task) {
        return submit(() -> task.apply(stateMachine));
    }

    @Override
    public void addLeadershipListener(LeadershipListener listener) {
        listener.leadershipChanged(MEMBER_ID, 1, true);
    }

    @Override
    public CompletableFuture<Long> moveLeader(long target) {
        return CompletableFuture.completedFuture(MEMBER_ID); // the only member stays leader
    }

    private <T> CompletableFuture<T> submit(java.util.function.Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, owner);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new ReplicaStoppedException("local replica stopped"));
        }
    }

    @Override
    public void close() {
        owner.shutdownNow();
    }
}
