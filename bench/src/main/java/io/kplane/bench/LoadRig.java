package io.kplane.bench;

import io.kplane.reports.Latency;
import io.kplane.reports.WorkloadResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

/**
 * The load rig shared by every end-to-end benchmark.
 *
 * <p>Open loop: each worker thread schedules its requests at fixed intended times and stamps each
 * request with that time; latency is {@code completion - intended}, so queueing in the rig's own
 * window or behind a stalled server is charged to the request (no coordinated omission). Closed
 * loop: each worker keeps its share of {@code outstanding} requests in flight.
 *
 * <p>Each worker records into its own HdrHistogram {@link Recorder} (completions may arrive on any
 * thread; {@code Recorder} is wait-free for concurrent writers). The caller's thread samples the
 * recorders once per interval, writes the merged interval histogram to the {@code .hlog} with
 * {@link HistogramLogWriter}, drives the progress bar, and throws away the warm-up intervals.
 */
public final class LoadRig {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private LoadRig() {}

    /**
     * Runs {@code spec} against {@code op}, writes interval histograms (nanoseconds) to
     * {@code hlogFile}, shows progress on {@code progress}, and returns the measured result.
     */
    public static WorkloadResult run(String area, LoadSpec spec, AsyncOperation op, Path hlogFile,
                                     PrintStream progress) throws InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        long intervalNs = spec.interval().toNanos();
        long startNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long startEpochMs = System.currentTimeMillis() + 20;
        long warmEndNs = startNs + spec.warmup().toNanos();
        long endNs = warmEndNs + spec.duration().toNanos();

        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < spec.workers(); i++) {
            int share = spec.outstanding() / spec.workers() + (i < spec.outstanding() % spec.workers() ? 1 : 0);
            workers.add(new Worker(i, spec, op, share, startNs, endNs));
        }
        workers.forEach(Worker::start);

        ProgressBar bar = new ProgressBar(progress, spec.workload() + " [" + spec.system() + "]");
        Histogram total = new Histogram(3);
        Histogram tick = new Histogram(3);
        List<Double> intervalRates = new ArrayList<>();
        List<Double> intervalP99 = new ArrayList<>();
        long errorsAtWarmEnd = 0;
        long procCpuAtWarmEnd = 0;
        double totalSec = (endNs - startNs) / 1e9;

        try (PrintStream hlog = new PrintStream(hlogFile.toFile(), java.nio.charset.StandardCharsets.US_ASCII)) {
            HistogramLogWriter writer = new HistogramLogWriter(hlog);
            writer.outputComment("kplane load rig: " + spec.workload() + " against " + spec.system() + ", "
                    + spec.mode().name().toLowerCase() + " loop, values in nanoseconds"
                    + (spec.mode() == LoadMode.OPEN ? " from intended send time" : ""));
            writer.outputLogFormatVersion();
            writer.setBaseTime(startEpochMs);
            writer.outputStartTime(startEpochMs);
            writer.outputBaseTime(startEpochMs);
            writer.outputLegend();

            boolean measuring = spec.warmup().isZero();
            if (measuring) {
                procCpuAtWarmEnd = processCpuNs();
            }
            long tickEnd = startNs;
            boolean done = false;
            while (!done) {
                tickEnd = Math.min(tickEnd + intervalNs, endNs);
                if (!measuring && tickEnd > warmEndNs) {
                    tickEnd = warmEndNs; // a clean cut between warm-up and measurement
                }
                sleepUntil(tickEnd);
                boolean last = tickEnd >= endNs;
                if (last) {
                    drain(workers, spec.drain().toNanos());
                }
                tick.reset();
                for (Worker w : workers) {
                    w.recycle = w.recorder.getIntervalHistogram(w.recycle); // sampler-thread only
                    tick.add(w.recycle);
                }
                double elapsed = (tickEnd - startNs) / 1e9;
                if (!measuring) {
                    if (tickEnd >= warmEndNs) {
                        measuring = true;
                        errorsAtWarmEnd = errors(workers);
                        procCpuAtWarmEnd = processCpuNs();
                    }
                    bar.update("warm-up", elapsed, totalSec, live(tick, intervalNs));
                    continue;
                }
                long from = startEpochMs + (tickEnd - startNs) / 1_000_000 - spec.interval().toMillis();
                tick.setStartTimeStamp(Math.max(from, startEpochMs + (warmEndNs - startNs) / 1_000_000));
                tick.setEndTimeStamp(startEpochMs + (tickEnd - startNs) / 1_000_000);
                writer.outputIntervalHistogram(tick);
                total.add(tick);
                if (!last) {
                    intervalRates.add(tick.getTotalCount() * 1e9 / intervalNs);
                    if (tick.getTotalCount() > 0) {
                        intervalP99.add((double) tick.getValueAtPercentile(99));
                    }
                }
                bar.update("measure", elapsed, totalSec, live(tick, intervalNs));
                done = last;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + hlogFile, e);
        }

        for (Worker w : workers) {
            w.join();
        }
        double seconds = spec.duration().toNanos() / 1e9;
        long errors = errors(workers) - errorsAtWarmEnd;
        long rigCpu = workers.stream().mapToLong(w -> w.cpuNs).sum();
        long procCpu = processCpuNs() - procCpuAtWarmEnd;
        double throughput = total.getTotalCount() / seconds;
        long stillOutstanding = workers.stream().mapToLong(Worker::outstanding).sum();
        String note = null;
        if (stillOutstanding > 0) {
            note = stillOutstanding + " requests still outstanding " + spec.drain().toSeconds() + " s after the end (not counted)";
        }
        long notSent = workers.stream().mapToLong(w -> w.notSent.sum()).sum();
        if (notSent > 0) {
            String why = notSent + " scheduled requests never sent: the window of " + spec.outstanding()
                    + " outstanding stayed full (the system fell behind the rate)";
            note = note == null ? why : note + "; " + why;
        }
        Throwable firstError = workers.stream().map(w -> w.firstError.get()).filter(e -> e != null).findFirst().orElse(null);
        if (errors > 0 && firstError != null) {
            String why = errors + " failed requests, first: " + firstError;
            note = note == null ? why : note + "; " + why;
        }
        Latency latency = Latency.ofNanos(total);
        bar.finish(String.format("%,.0f ops/s  p50 %s  p99 %s  p99.9 %s  max %s%s", throughput,
                micros(latency.p50Us()), micros(latency.p99Us()), micros(latency.p999Us()), micros(latency.maxUs()),
                errors > 0 ? "  errors " + errors : ""));
        return new WorkloadResult(area, spec.workload(), spec.system(), spec.mode().name().toLowerCase(),
                spec.parameters(), spec.durability(), spec.mode() == LoadMode.OPEN ? spec.rate() : 0,
                spec.outstanding(), seconds, total.getTotalCount(), errors, throughput, latency,
                relativeStdev(intervalRates), relativeStdev(intervalP99), hlogFile.getFileName().toString(),
                rigCpu / ((endNs - startNs) * (double) cores), procCpu < 0 ? null : procCpu / (seconds * 1e9 * cores),
                note);
    }

    /** Formats microseconds with a unit that keeps 3 significant digits. */
    public static String micros(double us) {
        if (us >= 1_000_000) {
            return String.format("%.2f s", us / 1e6);
        }
        if (us >= 1_000) {
            return String.format("%.2f ms", us / 1e3);
        }
        return String.format("%.1f us", us);
    }

    private static String live(Histogram tick, long intervalNs) {
        if (tick.getTotalCount() == 0) {
            return "0 ops/s";
        }
        return String.format("%,.0f ops/s  p99 %s", tick.getTotalCount() * 1e9 / intervalNs,
                micros(tick.getValueAtPercentile(99) / 1e3));
    }

    static Double relativeStdev(List<Double> xs) {
        if (xs.size() < 2) {
            return null;
        }
        double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        if (mean == 0) {
            return null;
        }
        double var = xs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (xs.size() - 1);
        return Math.sqrt(var) / mean;
    }

    private static long errors(List<Worker> workers) {
        return workers.stream().mapToLong(w -> w.errors.sum()).sum();
    }

    private static void drain(List<Worker> workers, long timeoutNs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNs;
        for (Worker w : workers) {
            w.join();
            long left = deadline - System.nanoTime();
            if (left > 0 && w.window.tryAcquire(w.windowSize, left, TimeUnit.NANOSECONDS)) {
                w.window.release(w.windowSize);
            }
        }
    }

    private static long processCpuNs() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** Waits until {@code deadlineNs}: parks, and spins only for the last 20 microseconds. */
    static void sleepUntil(long deadlineNs) {
        long now;
        while ((now = System.nanoTime()) < deadlineNs) {
            long left = deadlineNs - now;
            if (left > 20_000) {
                // Parking oversleeps by ~50 us on Linux; the lateness is charged to the request
                // (latency counts from the intended time), which is cheaper for a 2-core machine
                // than spinning a core away from the system under test.
                LockSupport.parkNanos(left);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** One generator thread with its own recorder and its share of the in-flight window. */
    private static final class Worker extends Thread {
        final Recorder recorder = new Recorder(3);
        Histogram recycle;
        final LongAdder errors = new LongAdder();
        final LongAdder notSent = new LongAdder();
        final AtomicReference<Throwable> firstError = new AtomicReference<>();
        final Semaphore window;
        final int windowSize;
        final AtomicLong sequence;
        private final LoadSpec spec;
        private final AsyncOperation op;
        private final int index;
        private final long startNs;
        private final long endNs;
        volatile long cpuNs;

        Worker(int index, LoadSpec spec, AsyncOperation op, int windowSize, long startNs, long endNs) {
            super("load-" + spec.workload() + "-" + index);
            setDaemon(true);
            this.index = index;
            this.spec = spec;
            this.op = op;
            this.windowSize = windowSize;
            this.window = new Semaphore(windowSize);
            this.sequence = new AtomicLong((long) index << 40);
            this.startNs = startNs;
            this.endNs = endNs;
        }

        long outstanding() {
            return windowSize - window.availablePermits();
        }

        @Override
        public void run() {
            try {
                if (spec.mode() == LoadMode.OPEN) {
                    openLoop();
                } else {
                    closedLoop();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                cpuNs = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
            }
        }

        private void openLoop() throws InterruptedException {
            double periodNs = 1e9 * spec.workers() / spec.rate();
            long offset = (long) (periodNs * index / spec.workers()); // workers interleave, not burst together
            for (long i = 0; ; i++) {
                long intended = startNs + offset + (long) (i * periodNs);
                if (intended >= endNs) {
                    return;
                }
                sleepUntil(intended);
                if (!window.tryAcquire(Math.max(0, endNs - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    // The window stayed full until the end: these requests were never sent. They are
                    // not latencies we can measure, so they are counted and reported instead.
                    notSent.add((long) Math.ceil((endNs - intended) / periodNs));
                    return;
                }
                issue(intended);
            }
        }

        private void closedLoop() throws InterruptedException {
            sleepUntil(startNs);
            while (true) {
                if (!window.tryAcquire(Math.max(0, endNs - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    return;
                }
                long now = System.nanoTime();
                if (now >= endNs) {
                    window.release();
                    return;
                }
                issue(now);
            }
        }

        private void issue(long intendedNs) {
            Pending p = new Pending(this, intendedNs);
            try {
                op.start(sequence.getAndIncrement(), p);
            } catch (RuntimeException e) {
                p.failed(e);
            }
        }
    }

    /** The completion handed to one request; records latency from its intended start. */
    private static final class Pending implements AsyncOperation.Completion {
        private final Worker worker;
        private final long intendedNs;
        private boolean done;

        Pending(Worker worker, long intendedNs) {
            this.worker = worker;
            this.intendedNs = intendedNs;
        }

        @Override
        public void succeeded() {
            if (finish()) {
                worker.recorder.recordValue(Math.max(0, System.nanoTime() - intendedNs));
                worker.window.release();
            }
        }

        @Override
        public void failed(Throwable cause) {
            if (finish()) {
                worker.errors.increment();
                worker.firstError.compareAndSet(null, cause);
                worker.window.release();
            }
        }

        // A request is completed by one thread; the guard only protects against a second call.
        private synchronized boolean finish() {
            if (done) {
                return false;
            }
            done = true;
            return true;
        }
    }
}
