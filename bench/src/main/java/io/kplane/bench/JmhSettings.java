package io.kplane.bench;

import java.util.List;

/**
 * How JMH runs: forks, warm-up and measurement iterations, profilers.
 *
 * @param forks            separate JVMs per benchmark (JIT and layout luck differ between JVMs)
 * @param warmupIterations iterations thrown away
 * @param warmupTime       time per warm-up iteration, JMH syntax ("1s", "500ms")
 * @param iterations       measured iterations per fork
 * @param iterationTime    time per measured iteration
 * @param profilers        JMH profilers, e.g. "gc"
 */
public record JmhSettings(int forks, int warmupIterations, String warmupTime, int iterations, String iterationTime,
                          List<String> profilers) {

    public JmhSettings {
        profilers = List.copyOf(profilers);
    }

    /** Enough for errors under ~10% on a quiet machine: 3 forks x (3 x 2 s warm-up + 5 x 2 s). */
    public static JmhSettings full() {
        return new JmhSettings(3, 3, "2s", 5, "2s", List.of());
    }

    /** The smoke set's settings: 1 fork x (1 x 1 s warm-up + 3 x 1 s); shows it runs, not precise. */
    public static JmhSettings smoke() {
        return new JmhSettings(1, 1, "1s", 3, "1s", List.of());
    }

    /** Rough seconds per benchmark (per parameter combination), including the fork's start-up. */
    public double secondsPerBenchmark() {
        return forks * (2.5 + warmupIterations * seconds(warmupTime) + iterations * seconds(iterationTime));
    }

    static double seconds(String jmhTime) {
        String t = jmhTime.trim().toLowerCase();
        if (t.endsWith("ms")) {
            return Double.parseDouble(t.substring(0, t.length() - 2)) / 1e3;
        }
        if (t.endsWith("s")) {
            return Double.parseDouble(t.substring(0, t.length() - 1));
        }
        if (t.endsWith("m")) {
            return Double.parseDouble(t.substring(0, t.length() - 1)) * 60;
        }
        return Double.parseDouble(t);
    }
}
