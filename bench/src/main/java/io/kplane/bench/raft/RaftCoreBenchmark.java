package io.kplane.bench.raft;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Core step throughput: entries per second committed and applied through a 3-node in-memory
 * cluster ({@link InMemoryRaftCluster}: no disk, no network, one thread). Each invocation proposes
 * {@link #BATCH} entries of {@code entryBytes} to the leader and runs the cluster until all three
 * members have applied them; the score is entries/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class RaftCoreBenchmark {

    static final int BATCH = 64;

    @Param({"256"})
    public int entryBytes;

    private InMemoryRaftCluster cluster;
    private byte[] payload;
    private long invocations;

    @Setup(Level.Trial)
    public void setUp() {
        cluster = new InMemoryRaftCluster(3, 42);
        payload = new byte[entryBytes];
    }

    /** One entry per round trip: propose, replicate, commit, apply. */
    @Benchmark
    public long proposeOneAndCommit() {
        cluster.leader().propose(payload);
        cluster.pump();
        maybeCompact();
        return cluster.appliedOnLeader();
    }

    /** {@value #BATCH} entries per round trip (what a loaded leader sees per duty cycle). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long proposeBatchAndCommit() {
        for (int i = 0; i < BATCH; i++) {
            cluster.leader().propose(payload);
        }
        cluster.pump();
        maybeCompact();
        return cluster.appliedOnLeader();
    }

    private void maybeCompact() {
        if ((++invocations & 1023) == 0) {
            cluster.compact(1000);
        }
    }
}
