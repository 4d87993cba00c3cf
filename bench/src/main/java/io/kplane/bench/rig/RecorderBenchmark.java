package io.kplane.bench.rig;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SingleWriterRecorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What one latency record costs the load rig: the multi-writer {@link Recorder} it uses (any
 * thread may complete a request) against the {@link SingleWriterRecorder} it could use if
 * completions always came back on the worker thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecorderBenchmark {

    private final Recorder recorder = new Recorder(3);
    private final SingleWriterRecorder singleWriter = new SingleWriterRecorder(3);
    private long seed = 0x9E3779B97F4A7C15L;

    /** A latency between 1 us and ~16 ms, spread like real ones (xorshift, no allocation). */
    private long nextLatencyNs() {
        seed ^= seed << 13;
        seed ^= seed >>> 7;
        seed ^= seed << 17;
        return 1_000 + (seed & ((1L << 24) - 1));
    }

    @Benchmark
    public void recorderRecord() {
        recorder.recordValue(nextLatencyNs());
    }

    @Benchmark
    public void singleWriterRecorderRecord() {
        singleWriter.recordValue(nextLatencyNs());
    }

    /** The sampler's side: swap out the interval histogram (done once per interval). */
    @Benchmark
    public Histogram intervalSwap(IntervalState s) {
        s.recorder.recordValue(nextLatencyNs());
        s.recycle = s.recorder.getIntervalHistogram(s.recycle);
        return s.recycle;
    }

    /** A recorder and its recycled interval histogram. */
    @State(Scope.Thread)
    public static class IntervalState {
        final Recorder recorder = new Recorder(3);
        Histogram recycle;
    }
}
