package io.kplane.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the load rig should do: which workload against which system, how paced, for how long.
 * Start from {@link #openLoop} or {@link #closedLoop} and adjust with the {@code with...} methods.
 *
 * @param workload    workload name, e.g. "put-256B" (peers share it)
 * @param system      system under test, e.g. "kplane", "etcd-3.4", "no-op"
 * @param mode        open (fixed rate) or closed (fixed concurrency)
 * @param rate        requests per second in total (open loop only)
 * @param outstanding maximum requests in flight in total; in closed loop, the concurrency
 * @param workers     generator threads; each owns a share of the rate and of the outstanding window
 * @param warmup      run but not measured
 * @param duration    measured time after warm-up
 * @param interval    length of one interval histogram in the {@code .hlog}
 * @param parameters  shown in the report (value size, key space, members...)
 * @param durability  durability mode of the system under test, as the report must state it
 * @param drain       how long to wait after the end for requests still in flight (then they are reported)
 */
public record LoadSpec(String workload, String system, LoadMode mode, double rate, int outstanding, int workers,
                       Duration warmup, Duration duration, Duration interval, Map<String, Object> parameters,
                       String durability, Duration drain) {

    public LoadSpec {
        if (mode == LoadMode.OPEN && !(rate > 0)) {
            throw new IllegalArgumentException("open-loop rate must be > 0, got " + rate);
        }
        if (outstanding < 1 || workers < 1 || outstanding < workers) {
            throw new IllegalArgumentException("need 1 <= workers <= outstanding, got workers=" + workers
                    + " outstanding=" + outstanding);
        }
        if (duration.isZero() || duration.isNegative() || interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("duration and interval must be positive");
        }
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Fixed rate (requests/s in total), up to 1024 in flight, one worker, 5 s warm-up, 20 s measured. */
    public static LoadSpec openLoop(String workload, String system, double ratePerSecond) {
        return new LoadSpec(workload, system, LoadMode.OPEN, ratePerSecond, 1024, 1, Duration.ofSeconds(5),
                Duration.ofSeconds(20), Duration.ofSeconds(1), Map.of(), "n/a", Duration.ofSeconds(10));
    }

    /** Fixed concurrency, one worker, 5 s warm-up, 20 s measured. */
    public static LoadSpec closedLoop(String workload, String system, int concurrency) {
        return new LoadSpec(workload, system, LoadMode.CLOSED, 0, concurrency, 1, Duration.ofSeconds(5),
                Duration.ofSeconds(20), Duration.ofSeconds(1), Map.of(), "n/a", Duration.ofSeconds(10));
    }

    public LoadSpec withOutstanding(int n) {
        return new LoadSpec(workload, system, mode, rate, n, Math.min(workers, n), warmup, duration, interval, parameters, durability, drain);
    }

    public LoadSpec withWorkers(int n) {
        return new LoadSpec(workload, system, mode, rate, outstanding, n, warmup, duration, interval, parameters, durability, drain);
    }

    public LoadSpec withWarmup(Duration d) {
        return new LoadSpec(workload, system, mode, rate, outstanding, workers, d, duration, interval, parameters, durability, drain);
    }

    public LoadSpec withDuration(Duration d) {
        return new LoadSpec(workload, system, mode, rate, outstanding, workers, warmup, d, interval, parameters, durability, drain);
    }

    public LoadSpec withInterval(Duration d) {
        return new LoadSpec(workload, system, mode, rate, outstanding, workers, warmup, duration, d, parameters, durability, drain);
    }

    public LoadSpec withDurability(String mode) {
        return new LoadSpec(workload, system, this.mode, rate, outstanding, workers, warmup, duration, interval, parameters, mode, drain);
    }

    public LoadSpec withSystem(String name) {
        return new LoadSpec(workload, name, mode, rate, outstanding, workers, warmup, duration, interval, parameters, durability, drain);
    }

    public LoadSpec withDrain(Duration d) {
        return new LoadSpec(workload, system, mode, rate, outstanding, workers, warmup, duration, interval, parameters, durability, d);
    }

    public LoadSpec withParam(String key, Object value) {
        Map<String, Object> p = new LinkedHashMap<>(parameters);
        p.put(key, value);
        return new LoadSpec(workload, system, mode, rate, outstanding, workers, warmup, duration, interval, p, durability, drain);
    }
}
