package io.kplane.reports;

import java.util.List;

/**
 * The content of a run directory's {@code summary.json}: what ran, when, and every area's result.
 *
 * @param schema  format version of this file
 * @param kind    "suite", "bench" or "jmh"
 * @param command the command line that produced the run
 * @param started ISO-8601 UTC start time
 * @param seconds wall time of the whole run
 * @param quick   whether the quick variants ran
 * @param areas   per-area results, in run order
 */
public record RunSummary(int schema, String kind, String command, String started, double seconds, boolean quick,
                         List<AreaResult> areas) {

    public static final int SCHEMA = 1;

    public RunSummary {
        areas = areas == null ? List.of() : List.copyOf(areas);
    }
}
