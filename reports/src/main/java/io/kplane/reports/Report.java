package io.kplane.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a run directory's reports: {@code index.html} (self-contained) and {@code summary.md}. */
public final class Report {

    private Report() {}

    /** Reads the run directory and writes both reports; returns the HTML file. */
    public static Path write(Path runDir) {
        RunData data = RunData.read(runDir);
        Path html = runDir.resolve(RunFiles.HTML);
        try {
            Files.writeString(html, HtmlReport.render(data), StandardCharsets.UTF_8);
            Files.writeString(runDir.resolve(RunFiles.MARKDOWN), MarkdownReport.render(data), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + runDir, e);
        }
        return html;
    }

    /** Writes {@code BENCHMARKS.md} (the measurement record) for the run directory into {@code file}. */
    public static Path writeBenchmarks(Path runDir, Path file) {
        try {
            Files.writeString(file, BenchmarksMarkdown.render(RunData.read(runDir)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }
}
