package io.kplane.reports;

import java.util.Map;

/**
 * The result of one load-rig run: one workload against one system (kplane, etcd, a baseline).
 * Runs of the same {@code workload} against different {@code system}s are peers: the report draws
 * them on the same chart and shows their ratios.
 *
 * @param area             the bench area, e.g. "store"
 * @param workload         e.g. "put-256B"
 * @param system           e.g. "kplane", "etcd-3.4", "instant-server"
 * @param mode             "open" (fixed rate, latency from intended send time) or "closed" (peak throughput)
 * @param parameters       workload parameters as shown in the report (value size, members, keys...)
 * @param durability       e.g. "fsync per batch", "no fsync (benchmark only)", "n/a"
 * @param targetRate       requests per second scheduled (open loop), 0 for closed loop
 * @param concurrency      maximum outstanding requests
 * @param seconds          measured duration (warm-up excluded)
 * @param count            successful requests measured
 * @param errors           failed requests during the measurement
 * @param throughput       successful requests per second
 * @param latency          percentiles in microseconds
 * @param throughputNoise  relative standard deviation of per-interval throughput
 * @param p99Noise         relative standard deviation of per-interval p99
 * @param hlog             the interval log's file name in the run directory
 * @param rigCpuShare      CPU used by the load rig's own threads / (seconds x cores), or {@code null}
 * @param processCpuShare  CPU used by this whole JVM / (seconds x cores), or {@code null}
 * @param note             anything the reader must know, or {@code null}
 */
public record WorkloadResult(String area, String workload, String system, String mode,
                             Map<String, Object> parameters, String durability,
                             double targetRate, int concurrency, double seconds, long count, long errors,
                             double throughput, Latency latency, Double throughputNoise, Double p99Noise,
                             String hlog, Double rigCpuShare, Double processCpuShare, String note) {

    /** A short key that identifies this workload/system pair across runs. */
    public String key() {
        return area + "/" + workload + "/" + system;
    }
}
