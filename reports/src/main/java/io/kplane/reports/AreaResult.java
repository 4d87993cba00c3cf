package io.kplane.reports;

import java.util.List;

/**
 * What one bench area (or the model checks, or JMH) produced in a run.
 *
 * @param area      the area's name, e.g. "store"
 * @param title     one line for humans
 * @param status    whether it ran
 * @param message   why it was skipped or failed (how to fix), or a one-line summary
 * @param headlines the front-page figures
 * @param workloads load-rig results (with interval logs)
 * @param jmhFiles  JMH JSON result files in the run directory
 * @param notes     further remarks shown under the area
 * @param seconds   wall time the area took
 */
public record AreaResult(String area, String title, Status status, String message, List<Headline> headlines,
                         List<WorkloadResult> workloads, List<String> jmhFiles, List<String> notes, double seconds) {

    /** Whether an area ran. */
    public enum Status {
        /** Ran to completion. */
        OK,
        /** Did not run, for a reason in {@code message} (e.g. etcd not installed, not built yet). */
        SKIPPED,
        /** Started and failed; {@code message} says how. */
        FAILED
    }

    public AreaResult {
        headlines = headlines == null ? List.of() : List.copyOf(headlines);
        workloads = workloads == null ? List.of() : List.copyOf(workloads);
        jmhFiles = jmhFiles == null ? List.of() : List.copyOf(jmhFiles);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** An area that did not run, with the reason and what to do about it. */
    public static AreaResult skipped(String area, String title, String why) {
        return new AreaResult(area, title, Status.SKIPPED, why, List.of(), List.of(), List.of(), List.of(), 0);
    }
}
