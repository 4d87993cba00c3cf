package io.kplane.check.history;

import java.util.Objects;

/**
 * A register with read, write and compare-and-set, as one etcd key is used by the torture
 * clients: Range, Put, and a Txn "if value == expected then put" (absent compares as its own
 * value, {@code null}).
 */
public final class CasRegister implements SequentialModel<CasRegister.State> {

    /** The register's value; {@code null} when the key is absent. */
    public record State(String value) {
    }

    private static final State ABSENT = new State(null);

    @Override
    public State initial() {
        return ABSENT;
    }

    @Override
    public State step(State state, Operation op) {
        return switch (op.kind()) {
            case READ -> op.outcome() == Operation.Outcome.INFO || Objects.equals(state.value(), op.value()) ? state : null;
            case WRITE -> new State(op.value());
            case CAS -> {
                boolean holds = Objects.equals(state.value(), op.expected());
                if (op.outcome() == Operation.Outcome.INFO) {
                    // unknown outcome: had it been applied here, the comparison decided it
                    yield holds ? new State(op.value()) : state;
                }
                if (holds != op.succeeded()) {
                    yield null;
                }
                yield holds ? new State(op.value()) : state;
            }
        };
    }
}
