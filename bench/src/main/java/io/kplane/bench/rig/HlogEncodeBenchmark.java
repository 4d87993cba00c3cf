package io.kplane.bench.rig;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of writing one interval to the {@code .hlog}: compressing an interval histogram, as
 * {@code HistogramLogWriter} does once per interval on the sampler thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HlogEncodeBenchmark {

    @Param({"10000"})
    public int values;

    private Histogram histogram;
    private ByteBuffer buffer;

    @Setup
    public void fill() {
        histogram = new Histogram(3);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < values; i++) {
            histogram.recordValue(1_000 + (long) (-Math.log(1 - r.nextDouble()) * 200_000));
        }
        buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    }

    @Benchmark
    public int encodeCompressed() {
        buffer.clear();
        return histogram.encodeIntoCompressedByteBuffer(buffer);
    }
}
