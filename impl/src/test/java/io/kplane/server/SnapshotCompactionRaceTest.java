package io.kplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot is serialized on the snapshot thread while the agent goes on applying. When a
 * compaction is applied meanwhile, the MVCC store's serializer can fail (it finds history chains
 * cut under it; jcstress {@code SnapshotCaptureStress.Compaction} shows it in ~8% of the races).
 * Such a capture is invalid anyway: the member must drop it and take a new snapshot, not stop.
 * This test makes the race deterministic with a state machine whose serializer waits for a gate
 * and then fails exactly as the store's does when a "compact" command was applied since its capture.
 */
class SnapshotCompactionRaceTest {

    @TempDir
    Path dir;

    /** Commands are counted; "compact" rewrites history. Serialization waits for {@link #gate}. */
    static final class GatedMachine implements StateMachine {
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger captures = new AtomicInteger();
        final AtomicInteger serialized = new AtomicInteger();
        private volatile long rewrites; // written by the agent, read by the serializer (as the store's chains)
        private long applied;
        private long commands;

        @Override
        public byte[] apply(long index, byte[] command) {
            applied = index;
            commands++;
            if (new String(command, StandardCharsets.UTF_8).equals("compact")) {
                rewrites++;
            }
            return new byte[0];
        }

        @Override
        public byte[] snapshot() {
            return ByteBuffer.allocate(16).putLong(applied).putLong(commands).array();
        }

        @Override
        public Capture capture() {
            byte[] bytes = snapshot();
            long rewritesAtCapture = rewrites;
            captures.incrementAndGet();
            return new Capture() {
                @Override
                public byte[] serialize() {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (rewrites != rewritesAtCapture) {
                        throw new IllegalStateException("snapshot size miscounted: history cut under the serializer");
                    }
                    serialized.incrementAndGet();
                    return bytes;
                }

                @Override
                public boolean stillValid() {
                    return rewrites == rewritesAtCapture;
                }
            };
        }

        @Override
        public void restore(byte[] snapshot) {
            ByteBuffer b = ByteBuffer.wrap(snapshot);
            applied = b.getLong();
            commands = b.getLong();
        }

        @Override
        public long appliedIndex() {
            return applied;
        }
    }

    @Test
    void aSerializationSpoiledByACompactionIsDroppedAndTheMemberGoesOn() throws Exception {
        ClusterSpec spec = ClusterSpec.parse("n1=127.0.0.1:1", "race");
        StoreConfig config = StoreConfig.defaults("n1", spec, dir.resolve("n1"))
                .withTick(Duration.ofMillis(10))
                .withSnapshotCount(5, 2)
                .withRequestTimeout(Duration.ofSeconds(5));
        GatedMachine sm = new GatedMachine();
        try (StoreNode node = StoreNode.start(config, sm, new InMemoryNetwork().transport(spec.member("n1").id()))) {
            awaitTrue(() -> node.status().isLeader(), "leader");
            for (int i = 0; i < 6; i++) {
                node.propose("c".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
            }
            awaitTrue(() -> sm.captures.get() == 1, "first capture");
            node.propose("compact".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
            sm.gate.countDown(); // the first serialization now fails: its capture was compacted under it

            for (int i = 0; i < 10; i++) {
                node.propose("d".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS); // the member is alive
            }
            awaitTrue(() -> sm.serialized.get() >= 1, "a new snapshot serialized");
            Path snap = dir.resolve("n1").resolve("snap");
            awaitTrue(() -> Files.isDirectory(snap) && snap.toFile().list().length > 0, "a snapshot file");
            assertThat(sm.captures.get()).isGreaterThanOrEqualTo(2);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
