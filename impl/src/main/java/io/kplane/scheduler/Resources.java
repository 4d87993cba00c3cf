package io.kplane.scheduler;

import java.util.Map;

/**
 * A resource vector: CPU in millicores, memory and ephemeral storage in bytes, allowed pod count,
 * and extended (scalar) resources by name. Immutable.
 */
public record Resources(long milliCpu, long memory, long ephemeralStorage, long pods, Map<String, Long> scalars) {

    public static final Resources ZERO = new Resources(0, 0, 0, 0, Map.of());

    public Resources {
        scalars = Map.copyOf(scalars);
    }

    public static Resources of(long milliCpu, long memory) {
        return new Resources(milliCpu, memory, 0, 0, Map.of());
    }

    public static Resources of(long milliCpu, long memory, long pods) {
        return new Resources(milliCpu, memory, 0, pods, Map.of());
    }

    public long scalar(String name) {
        Long v = scalars.get(name);
        return v == null ? 0 : v;
    }
}
