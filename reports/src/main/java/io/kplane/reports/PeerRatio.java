package io.kplane.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One system against a peer on the same workload in the same run, e.g. kplane / etcd-3.4 on
 * "put-256B". Ratios are {@code system / peer}: above 1 is better for throughput, below 1 is
 * better for latency.
 *
 * @param area            the bench area
 * @param workload        the workload both ran
 * @param system          the system in the numerator (kplane when present)
 * @param peer            the system in the denominator
 * @param throughputRatio throughput of system / peer
 * @param p50Ratio        p50 of system / peer
 * @param p99Ratio        p99 of system / peer
 * @param p999Ratio       p99.9 of system / peer
 */
public record PeerRatio(String area, String workload, String system, String peer, Double throughputRatio,
                        Double p50Ratio, Double p99Ratio, Double p999Ratio) {

    /**
     * The ratios of every workload that ran against more than one system: the reference is the
     * first system whose name starts with "kplane", else the first system.
     */
    public static List<PeerRatio> of(List<WorkloadResult> workloads) {
        Map<String, List<WorkloadResult>> byWorkload = new LinkedHashMap<>();
        for (WorkloadResult w : workloads) {
            byWorkload.computeIfAbsent(w.area() + "\u0000" + w.workload(), k -> new ArrayList<>()).add(w);
        }
        List<PeerRatio> out = new ArrayList<>();
        for (List<WorkloadResult> runs : byWorkload.values()) {
            if (runs.size() < 2) {
                continue;
            }
            WorkloadResult ref = runs.stream().filter(w -> w.system().startsWith("kplane")).findFirst().orElse(runs.get(0));
            for (WorkloadResult w : runs) {
                if (w != ref) {
                    out.add(new PeerRatio(ref.area(), ref.workload(), ref.system(), w.system(),
                            ratio(ref.throughput(), w.throughput()), ratio(ref.latency().p50Us(), w.latency().p50Us()),
                            ratio(ref.latency().p99Us(), w.latency().p99Us()),
                            ratio(ref.latency().p999Us(), w.latency().p999Us())));
                }
            }
        }
        return out;
    }

    private static Double ratio(double a, double b) {
        return b == 0 ? null : a / b;
    }
}
