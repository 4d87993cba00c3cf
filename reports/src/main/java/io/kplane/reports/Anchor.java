package io.kplane.reports;

/**
 * A fact to compare a measurement with: the project's goal, a peer measured in the same run, or a
 * figure published elsewhere (DESIGN.md §5).
 *
 * @param name   what the figure is, e.g. "etcd 3.4, same client, this machine"
 * @param value  the figure, in {@code unit}
 * @param unit   e.g. "ops/s", "pods/s", "ms", "s", "B"
 * @param source where it comes from: {@value Anchors#MEASURED_IN_THIS_RUN}, "project goal: ..." or a document
 */
public record Anchor(String name, double value, String unit, String source) {

    /** What kind of fact an anchor is, which decides what the front page may say about it. */
    public enum Kind {
        /** The project's own target: a figure is compared with it (met / not met). */
        GOAL,
        /** A peer measured in the same run on the same machine: a ratio means something. */
        PEER,
        /**
         * Published elsewhere, on other hardware or another day: context only. No ratio against it is
         * called better or worse.
         */
        PUBLISHED
    }

    /** Derived from {@code source}, so summaries written before kinds existed read the same way. */
    public Kind kind() {
        if (source == null) {
            return Kind.PUBLISHED;
        }
        if (source.startsWith(Anchors.MEASURED_IN_THIS_RUN)) {
            return Kind.PEER;
        }
        return source.startsWith(Anchors.PROJECT_GOAL) ? Kind.GOAL : Kind.PUBLISHED;
    }
}
