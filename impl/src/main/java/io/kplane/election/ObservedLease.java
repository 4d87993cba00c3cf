package io.kplane.election;

/**
 * A Lease as read from the API server: the record plus the resourceVersion that an update must
 * name for optimistic concurrency.
 */
public record ObservedLease(LeaseRecord record, String resourceVersion) {
    public ObservedLease {
        if (record == null || resourceVersion == null) {
            throw new IllegalArgumentException("record and resourceVersion are required");
        }
    }
}
