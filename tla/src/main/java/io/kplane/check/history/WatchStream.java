package io.kplane.check.history;

import java.util.List;

/**
 * What one watcher received, across reconnects: it watched from {@code startRevision} and, after a
 * broken stream, resumed from the revision after the last event it had received — as a
 * Kubernetes reflector does — so its events must be one gap-free, ordered, duplicate-free run.
 */
public record WatchStream(int watcher, long startRevision, List<WatchEvent> events, int reconnects) {
}
