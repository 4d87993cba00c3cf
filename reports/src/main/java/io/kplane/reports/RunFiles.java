package io.kplane.reports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Names and JSON codec of the files in a run directory
 * ({@code reports/out/<timestamp>[-<area>]/}).
 */
public final class RunFiles {

    /** The run's results. */
    public static final String SUMMARY = "summary.json";
    /** Machine, JVM, flags, git commit. */
    public static final String ENV = "env.json";
    /** The HTML report. */
    public static final String HTML = "index.html";
    /** The Markdown summary. */
    public static final String MARKDOWN = "summary.md";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private RunFiles() {}

    /** The shared mapper: indented output, nulls left out, unknown fields ignored (newer writers). */
    public static ObjectMapper json() {
        return JSON;
    }

    public static void writeSummary(Path runDir, RunSummary summary) {
        write(runDir.resolve(SUMMARY), summary);
    }

    public static RunSummary readSummary(Path runDir) {
        Path file = runDir.resolve(SUMMARY);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(runDir + " is not a run directory: it has no " + SUMMARY);
        }
        try {
            return JSON.readValue(file.toFile(), RunSummary.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The run's {@code env.json}, or an empty map when it is missing or unreadable. */
    public static java.util.Map<String, Object> readEnv(Path runDir) {
        Path file = runDir.resolve(ENV);
        if (!Files.isRegularFile(file)) {
            return java.util.Map.of();
        }
        try {
            return JSON.readValue(file.toFile(), new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            return java.util.Map.of("error", "cannot read env.json: " + e.getMessage());
        }
    }

    /** Writes {@code value} as indented JSON, atomically (temp file + move). */
    public static void write(Path file, Object value) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), value);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
