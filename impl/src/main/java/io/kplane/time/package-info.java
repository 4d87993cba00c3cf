/**
 * Time as an input: {@link io.kplane.time.NanoClock}, the single monotonic clock type (nanoseconds)
 * that every runtime shell (Raft agent, watch hubs, the API server's watch cache, election, scheduler
 * runtime, proxy sync loop, peer transport) is given instead of calling {@link System#nanoTime()}
 * itself ({@code ShellsReadTheirInjectedClockTest} lists them), and
 * {@link io.kplane.time.ManualNanoClock}, which tests and simulations move by hand. Depends on
 * nothing; every package may use it. Left on the system clock on purpose: blocking waits with a
 * deadline ({@code Object.wait}/{@code Future.get} need real time), the CLI's own stopwatches and the
 * API server's per-request latency stopwatch (a metric, not a timer anything waits on).
 */
package io.kplane.time;
