package io.kplane.reports;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads JMH's JSON result format ({@code -rf json}). */
public final class JmhResults {

    private JmhResults() {}

    public static List<JmhScore> read(Path file) {
        try {
            JsonNode root = RunFiles.json().readTree(file.toFile());
            List<JmhScore> out = new ArrayList<>();
            if (root == null || !root.isArray()) {
                return out;
            }
            for (JsonNode b : root) {
                Map<String, String> params = new LinkedHashMap<>();
                b.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
                JsonNode pm = b.path("primaryMetric");
                double err = pm.path("scoreError").isNumber() ? pm.path("scoreError").asDouble() : Double.NaN;
                out.add(new JmhScore(b.path("benchmark").asText(), b.path("mode").asText(), params,
                        pm.path("score").asDouble(), err, pm.path("scoreUnit").asText(), b.path("forks").asInt(),
                        b.path("measurementIterations").asInt()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JMH results " + file + ": " + e.getMessage(), e);
        }
    }
}
