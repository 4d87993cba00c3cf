package io.kplane.etcd;

import io.kplane.kv.KvStateMachine;
import io.kplane.server.StateMachine;

/**
 * The MVCC state machine as the store runtime sees it. The adapter lives here, in {@code etcd}
 * (which may use both {@code kv} and {@code server}), so that {@code kv} stays free of the runtime,
 * as DESIGN.md's dependency table says.
 */
public final class KvReplicatedStateMachine implements StateMachine {
    private final KvStateMachine kv;

    public KvReplicatedStateMachine(KvStateMachine kv) {
        this.kv = kv;
    }

    public KvReplicatedStateMachine() {
        this(new KvStateMachine());
    }

    /** The MVCC state machine inside a replica's state machine (which must be one of these). */
    public static KvStateMachine kv(StateMachine sm) {
        return ((KvReplicatedStateMachine) sm).kv;
    }

    public KvStateMachine kv() {
        return kv;
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        return kv.apply(index, command);
    }

    @Override
    public byte[] snapshot() {
        return kv.snapshot();
    }

    @Override
    public Capture capture() {
        KvStateMachine.Capture c = kv.capture();
        return new Capture() {
            @Override
            public byte[] serialize() {
                return c.serialize();
            }

            @Override
            public boolean stillValid() {
                return c.stillValid();
            }
        };
    }

    @Override
    public void restore(byte[] snapshot) {
        kv.restore(snapshot);
    }

    @Override
    public long appliedIndex() {
        return kv.appliedIndex();
    }
}
