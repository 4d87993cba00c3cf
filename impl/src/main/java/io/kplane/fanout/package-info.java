/**
 * The shared event fan-out: {@link io.kplane.fanout.EventLog}, a bounded lock-free log with one
 * writer and any number of readers, each with its own cursor. A reader that falls a whole ring
 * behind is told so ({@link io.kplane.fanout.OverrunException}) and recovers by its own means; the
 * log never drops an event silently. Used by kv watch (one element per store revision) and meant
 * for the API server's watch cache. Depends on nothing else in kplane.
 */
package io.kplane.fanout;
