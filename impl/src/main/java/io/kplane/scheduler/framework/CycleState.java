package io.kplane.scheduler.framework;

/**
 * Per-scheduling-cycle state: one slot per plugin (index assigned by the {@link Framework}) and
 * the plugins that asked to be skipped. Copied for preemption's what-if evaluations.
 */
public final class CycleState {

    /** Plugin state that can be copied (needed when preemption simulates removing pods). */
    public interface Data {
        Data copy();
    }

    private final Object[] slots;
    private final boolean[] skipFilter;
    private final boolean[] skipScore;

    public CycleState(int plugins) {
        this.slots = new Object[plugins];
        this.skipFilter = new boolean[plugins];
        this.skipScore = new boolean[plugins];
    }

    public Object read(int slot) { return slots[slot]; }
    public void write(int slot, Object value) { slots[slot] = value; }
    public boolean skipFilter(int slot) { return skipFilter[slot]; }
    public void setSkipFilter(int slot) { skipFilter[slot] = true; }
    public boolean skipScore(int slot) { return skipScore[slot]; }
    public void setSkipScore(int slot) { skipScore[slot] = true; }

    /** A copy whose copyable data is deep-copied; other data is shared (treated as immutable). */
    public CycleState copy() {
        CycleState c = new CycleState(slots.length);
        for (int i = 0; i < slots.length; i++) {
            Object v = slots[i];
            c.slots[i] = v instanceof Data d ? d.copy() : v;
            c.skipFilter[i] = skipFilter[i];
            c.skipScore[i] = skipScore[i];
        }
        return c;
    }
}
