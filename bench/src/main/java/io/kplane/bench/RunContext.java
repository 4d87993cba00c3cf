package io.kplane.bench;

import io.kplane.reports.AreaResult;
import io.kplane.reports.Headline;
import io.kplane.reports.WorkloadResult;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an area gets while it runs: where to write, whether to be quick, its parameters, and the
 * calls that record results. One context per area per run; used from the area's own thread.
 */
public final class RunContext {

    /** What to tell the user when etcd 3.4 is not installed. */
    public static final String ETCD_INSTALL_HINT =
            "etcd not found on PATH; install etcd 3.4 with `" + io.kplane.reports.Anchors.ETCD_INSTALL + "` (Debian 12)";

    private final Path dir;
    private final String area;
    private final boolean quick;
    private final Map<String, String> params;
    private final PrintStream log;
    private final List<WorkloadResult> workloads = new ArrayList<>();
    private final List<Headline> headlines = new ArrayList<>();
    private final List<String> jmhFiles = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private String skipped;
    private String message;

    public RunContext(Path dir, String area, boolean quick, Map<String, String> params, PrintStream log) {
        this.dir = dir;
        this.area = area;
        this.quick = quick;
        this.params = Map.copyOf(params);
        this.log = log;
    }

    /** The run directory; every file the area writes goes here (see {@link #file}). */
    public Path dir() {
        return dir;
    }

    public String area() {
        return area;
    }

    /** True for {@code --quick} and in {@code kplane suite --quick}: short durations, small sizes. */
    public boolean quick() {
        return quick;
    }

    /** {@code quick} when running quick, else {@code full}. */
    public <T> T quickOr(T quick, T full) {
        return this.quick ? quick : full;
    }

    /** Where progress and remarks go (stderr); results go through the recording calls. */
    public PrintStream log() {
        return log;
    }

    /** A {@code -p key=value} parameter given on the command line, or the default. */
    public String param(String key, String defaultValue) {
        return params.getOrDefault(key, defaultValue);
    }

    public int param(String key, int defaultValue) {
        String v = params.get(key);
        return v == null ? defaultValue : Integer.parseInt(v.trim().replace("_", ""));
    }

    public double param(String key, double defaultValue) {
        String v = params.get(key);
        return v == null ? defaultValue : Double.parseDouble(v.trim().replace("_", ""));
    }

    /** A duration parameter such as {@code -p duration=30s}, {@code 2m}, {@code 500ms} or ISO-8601 {@code PT30S}. */
    public Duration param(String key, Duration defaultValue) {
        String v = params.get(key);
        if (v == null) {
            return defaultValue;
        }
        v = v.trim().toLowerCase();
        if (v.startsWith("p")) {
            return Duration.parse(v.toUpperCase());
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
        }
        return Duration.parse("PT" + v.toUpperCase());
    }

    /** A file in the run directory, its name prefixed with the area so areas never collide. */
    public Path file(String name) {
        return dir.resolve(safe(area + "-" + name));
    }

    /**
     * Runs the load rig ({@link LoadRig}) for {@code spec} against {@code op}, writes its interval
     * log as {@code <area>-<workload>-<system>.hlog}, records and returns the result.
     */
    public WorkloadResult load(LoadSpec spec, AsyncOperation op) throws InterruptedException {
        Path hlog = file(spec.workload() + "-" + spec.system() + ".hlog");
        WorkloadResult r = LoadRig.run(area, spec, op, hlog, log);
        add(r);
        return r;
    }

    /**
     * Records latencies the area measured itself (values in <b>nanoseconds</b>), e.g. per-pod
     * scheduling latency or per-sync rule-programming time: writes the histogram as a one-interval
     * {@code .hlog} and records a result with {@code count / seconds} as its throughput.
     *
     * @param seconds    wall time the {@code histogram.getTotalCount()} operations took
     * @param parameters shown in the report
     * @param durability as the report must state it ("n/a" when it does not apply)
     */
    public WorkloadResult addHistogram(String workload, String system, org.HdrHistogram.Histogram histogram,
                                       double seconds, Map<String, Object> parameters, String durability) {
        Path hlog = file(workload + "-" + system + ".hlog");
        long end = System.currentTimeMillis();
        long start = end - Math.round(seconds * 1000);
        org.HdrHistogram.Histogram h = histogram.copy();
        h.setStartTimeStamp(start);
        h.setEndTimeStamp(end);
        try (PrintStream out = new PrintStream(hlog.toFile(), java.nio.charset.StandardCharsets.US_ASCII)) {
            org.HdrHistogram.HistogramLogWriter w = new org.HdrHistogram.HistogramLogWriter(out);
            w.outputComment("kplane " + area + ": " + workload + " against " + system + ", values in nanoseconds");
            w.outputLogFormatVersion();
            w.setBaseTime(start);
            w.outputStartTime(start);
            w.outputBaseTime(start);
            w.outputLegend();
            w.outputIntervalHistogram(h);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + hlog, e);
        }
        WorkloadResult r = new WorkloadResult(area, workload, system, "measured", parameters, durability, 0, 0,
                seconds, h.getTotalCount(), 0, seconds > 0 ? h.getTotalCount() / seconds : 0,
                io.kplane.reports.Latency.ofNanos(h), null, null, hlog.getFileName().toString(), null, null, null);
        add(r);
        return r;
    }

    /** Records a workload result obtained without the load rig (e.g. a batch timing). */
    public synchronized void add(WorkloadResult result) {
        workloads.add(result);
    }

    /** Records a front-page figure. Build it with {@link Headline#of} and {@link Headline#against}. */
    public synchronized void headline(Headline headline) {
        headlines.add(headline);
        log.printf("  headline: %s = %s %s%s%n", headline.metric(), format(headline.value()), headline.unit(),
                headline.ratio() == null ? "" : String.format("  (%.2fx %s)", headline.ratio(), headline.anchor().name()));
    }

    /** A convenience for {@code Headline.of(area(), ...)}. */
    public Headline measured(String metric, double value, String unit, boolean higherIsBetter) {
        return Headline.of(area, metric, value, unit, higherIsBetter);
    }

    /** Records a JMH JSON file written into the run directory. */
    public synchronized void jmhFile(Path file) {
        jmhFiles.add(dir.relativize(file).toString());
    }

    /** A remark shown under the area in the report (a peer skipped, a caveat). */
    public synchronized void note(String text) {
        notes.add(text);
        log.println("  note: " + text);
    }

    /** One line for the front page when the area has no single headline. */
    public synchronized void message(String text) {
        message = text;
    }

    /**
     * Marks the area as skipped, with the reason and how to make it run (e.g. {@link #ETCD_INSTALL_HINT}).
     * The area should return right after.
     */
    public synchronized void skip(String reasonAndFix) {
        skipped = reasonAndFix;
        log.println("  skipped: " + reasonAndFix);
    }

    /** An executable on PATH, e.g. {@code findExecutable("etcd")}. */
    public static Optional<Path> findExecutable(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    synchronized AreaResult result(String title, double seconds) {
        if (skipped != null) {
            return new AreaResult(area, title, AreaResult.Status.SKIPPED, skipped, headlines, workloads, jmhFiles,
                    notes, seconds);
        }
        return new AreaResult(area, title, AreaResult.Status.OK, message, headlines, workloads, jmhFiles, notes,
                seconds);
    }

    synchronized AreaResult failed(String title, Throwable error, double seconds) {
        String msg = error.getClass().getSimpleName() + ": " + error.getMessage();
        return new AreaResult(area, title, AreaResult.Status.FAILED, msg, headlines, workloads, jmhFiles, notes, seconds);
    }

    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    private static String format(double v) {
        return Math.abs(v) >= 100 ? String.format("%,.0f", v) : String.format("%.3g", v);
    }
}
