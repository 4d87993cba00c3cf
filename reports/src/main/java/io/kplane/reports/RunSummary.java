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
 * @param peers   ratios between systems that ran the same workload (computed from {@code areas})
 */
public record RunSummary(int schema, String kind, String command, String started, double seconds, boolean quick,
                         List<AreaResult> areas, List<PeerRatio> peers) {

    public static final int SCHEMA = 1;

    public RunSummary {
        areas = areas == null ? List.of() : List.copyOf(areas);
        peers = peers == null ? List.of() : List.copyOf(peers);
    }

    /** A summary whose peer ratios are computed from the areas' workloads. */
    public RunSummary(int schema, String kind, String command, String started, double seconds, boolean quick,
                      List<AreaResult> areas) {
        this(schema, kind, command, started, seconds, quick, areas,
                PeerRatio.of(areas == null ? List.of() : areas.stream().flatMap(a -> a.workloads().stream()).toList()));
    }
}
