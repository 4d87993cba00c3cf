package io.kplane.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time of other processes (the store members), read from {@code /proc/<pid>/stat}, so that a
 * result can say how the two cores were shared between the load client and the servers.
 */
public final class ProcessCpu {

    /** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {}

    /** Summed user+system CPU seconds of {@code pids}; 0 for processes that cannot be read. */
    public static double seconds(List<Long> pids) {
        double total = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
            } catch (IOException | RuntimeException e) {
                // not Linux, or the process is gone: its share is simply not counted
            }
        }
        return total;
    }
}
