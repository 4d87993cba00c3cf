package io.kplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kplane.raft.ConfState;
import io.kplane.raft.Entry;
import io.kplane.raft.EntryType;
import io.kplane.raft.Message;
import io.kplane.raft.MessageType;
import io.kplane.raft.Snapshot;
import io.kplane.raft.SnapshotMetadata;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MessageCodecTest {

    @Property(tries = 500)
    void batchesRoundTrip(@ForAll("batches") List<Message> batch) {
        ByteBuffer encoded = MessageCodec.encodeBatch(batch);
        List<Message> decoded = MessageCodec.decodeBatch(encoded);
        assertThat(decoded).hasSameSizeAs(batch);
        for (int i = 0; i < batch.size(); i++) {
            assertSame(decoded.get(i), batch.get(i));
        }
    }

    @Property(tries = 300)
    void truncatedBatchesAreRejectedNotMisread(@ForAll("batches") List<Message> batch, @ForAll("cuts") double cut) {
        ByteBuffer encoded = MessageCodec.encodeBatch(batch);
        int length = (int) (encoded.remaining() * cut);
        if (length >= encoded.remaining()) {
            return;
        }
        ByteBuffer shorter = encoded.duplicate();
        shorter.limit(shorter.position() + length);
        assertThatThrownBy(() -> MessageCodec.decodeBatch(shorter)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 200)
    void confStateRoundTrips(@ForAll("ids") List<Long> voters, @ForAll("ids") List<Long> learners) {
        List<Long> onlyLearners = learners.stream().filter(l -> !voters.contains(l)).toList();
        ConfState cs = new ConfState(voters, onlyLearners);
        assertThat(MessageCodec.decodeConfState(MessageCodec.encodeConfState(cs))).isEqualTo(cs);
    }

    @Property(tries = 1)
    void heartbeatIsCompact() {
        Message hb = Message.of(MessageType.HEARTBEAT, 0x1234567890abcdefL, 0x0fedcba987654321L).withTerm(5).withCommit(1000);
        int size = MessageCodec.encodeBatch(List.of(hb)).remaining();
        assertThat(size).isLessThan(40);
    }

    private static void assertSame(Message a, Message b) {
        assertThat(a.type()).isEqualTo(b.type());
        assertThat(a.to()).isEqualTo(b.to());
        assertThat(a.from()).isEqualTo(b.from());
        assertThat(a.term()).isEqualTo(b.term());
        assertThat(a.logTerm()).isEqualTo(b.logTerm());
        assertThat(a.index()).isEqualTo(b.index());
        assertThat(a.commit()).isEqualTo(b.commit());
        assertThat(a.reject()).isEqualTo(b.reject());
        assertThat(a.rejectHint()).isEqualTo(b.rejectHint());
        assertThat(a.context()).isEqualTo(b.context());
        assertThat(a.entries()).isEqualTo(b.entries()); // Entry.equals compares contents
        if (b.snapshot() == null) {
            assertThat(a.snapshot()).isNull();
        } else {
            assertThat(a.snapshot().metadata()).isEqualTo(b.snapshot().metadata());
            assertThat(a.snapshot().data()).isEqualTo(b.snapshot().data());
        }
    }

    @Provide
    Arbitrary<Double> cuts() {
        return Arbitraries.doubles().between(0.0, 0.999).ofScale(3);
    }

    @Provide
    Arbitrary<List<Long>> ids() {
        return Arbitraries.longs().between(1, Long.MAX_VALUE).list().ofMaxSize(5).uniqueElements();
    }

    @Provide
    Arbitrary<List<Message>> batches() {
        return message().list().ofMinSize(1).ofMaxSize(6);
    }

    private Arbitrary<Long> anyLong() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 300), Arbitraries.longs());
    }

    private Arbitrary<byte[]> bytes(int max) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(max);
    }

    private Arbitrary<Entry> entry() {
        return Combinators.combine(anyLong(), anyLong(), Arbitraries.of(EntryType.class), bytes(64))
                .as(Entry::new);
    }

    private Arbitrary<Snapshot> snapshot() {
        return Combinators.combine(anyLong(), anyLong(), ids(), bytes(256))
                .as((i, t, v, d) -> new Snapshot(new SnapshotMetadata(i, t, new ConfState(v, List.of())), d));
    }

    private Arbitrary<Message> message() {
        Arbitrary<MessageType> types = Arbitraries.of(MessageType.class);
        Arbitrary<long[]> numbers = anyLong().list().ofSize(7).map(l -> l.stream().mapToLong(Long::longValue).toArray());
        return Combinators.combine(types, numbers, Arbitraries.of(true, false), bytes(24), entry().list().ofMaxSize(4),
                        snapshot().injectNull(0.7))
                .as((type, n, reject, ctx, entries, snap) -> new Message(type, n[0], n[1], n[2], n[3], n[4],
                        new ArrayList<>(entries), n[5], reject, n[6], snap, ctx));
    }
}
