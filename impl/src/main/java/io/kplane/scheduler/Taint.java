package io.kplane.scheduler;

/** A node taint. Effects are the upstream strings NoSchedule, PreferNoSchedule, NoExecute. */
public record Taint(String key, String value, Effect effect) {
    /** Taint effects. */
    public enum Effect { NO_SCHEDULE, PREFER_NO_SCHEDULE, NO_EXECUTE }
}
