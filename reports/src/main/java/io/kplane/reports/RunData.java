package io.kplane.reports;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a report needs from one run directory: the summary, the environment, the interval
 * logs of each workload and the JMH results.
 */
public record RunData(Path dir, RunSummary summary, Map<String, Object> env, Map<String, IntervalLog> logs,
                      Map<String, List<JmhScore>> jmh) {

    /** Loads a run directory; missing interval logs or JMH files are left out, not fatal. */
    public static RunData read(Path dir) {
        RunSummary summary = RunFiles.readSummary(dir);
        Map<String, Object> env = Map.of();
        Path envFile = dir.resolve(RunFiles.ENV);
        if (Files.isRegularFile(envFile)) {
            try {
                env = RunFiles.json().readValue(envFile.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
            } catch (IOException e) {
                env = Map.of("error", "cannot read env.json: " + e.getMessage());
            }
        }
        Map<String, IntervalLog> logs = new LinkedHashMap<>();
        Map<String, List<JmhScore>> jmh = new LinkedHashMap<>();
        for (AreaResult a : summary.areas()) {
            for (WorkloadResult w : a.workloads()) {
                if (w.hlog() != null && Files.isRegularFile(dir.resolve(w.hlog()))) {
                    logs.put(w.hlog(), IntervalLog.read(dir.resolve(w.hlog())));
                }
            }
            for (String f : a.jmhFiles()) {
                if (Files.isRegularFile(dir.resolve(f))) {
                    jmh.put(f, JmhResults.read(dir.resolve(f)));
                }
            }
        }
        return new RunData(dir, summary, env, logs, jmh);
    }
}
