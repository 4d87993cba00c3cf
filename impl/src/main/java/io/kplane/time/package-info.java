/**
 * Time as an input: {@link io.kplane.time.NanoClock}, the single monotonic clock type (nanoseconds)
 * that every runtime shell (Raft agent, watch hubs, API server, election, scheduler runtime, proxy
 * sync loop, peer transport) is given instead of calling {@link System#nanoTime()} itself, and
 * {@link io.kplane.time.ManualNanoClock}, which tests and simulations move by hand. Depends on
 * nothing; every package may use it.
 */
package io.kplane.time;
