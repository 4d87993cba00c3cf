package io.kplane.server;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A trivial deterministic state machine: an append-only list of commands. {@code apply} returns
 * the 8-byte big-endian position of the command in the list. Used by the runtime's tests and by
 * {@code kplane store --state-machine log}.
 */
public final class AppendOnlyLog implements StateMachine {

    private final List<byte[]> commands = new ArrayList<>();
    private long appliedIndex;

    @Override
    public byte[] apply(long index, byte[] command) {
        if (index <= appliedIndex) {
            throw new IllegalStateException("index " + index + " already applied (at " + appliedIndex + ")");
        }
        commands.add(command.clone());
        appliedIndex = index;
        return ByteBuffer.allocate(8).putLong(commands.size() - 1L).array();
    }

    @Override
    public byte[] snapshot() {
        int size = 16;
        for (byte[] c : commands) {
            size += 4 + c.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putLong(appliedIndex).putLong(commands.size());
        for (byte[] c : commands) {
            b.putInt(c.length).put(c);
        }
        return b.array();
    }

    @Override
    public void restore(byte[] snapshot) {
        ByteBuffer b = ByteBuffer.wrap(snapshot);
        long applied = b.getLong();
        long n = b.getLong();
        List<byte[]> restored = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            byte[] c = new byte[b.getInt()];
            b.get(c);
            restored.add(c);
        }
        commands.clear();
        commands.addAll(restored);
        appliedIndex = applied;
    }

    @Override
    public long appliedIndex() {
        return appliedIndex;
    }

    /** Number of commands applied so far. */
    public int size() {
        return commands.size();
    }

    /** A copy of the command at {@code position}. */
    public byte[] get(int position) {
        return commands.get(position).clone();
    }

    /** A copy of all commands, in order. */
    public List<byte[]> commands() {
        List<byte[]> copy = new ArrayList<>(commands.size());
        for (byte[] c : commands) {
            copy.add(c.clone());
        }
        return copy;
    }
}
