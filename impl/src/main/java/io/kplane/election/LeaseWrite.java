package io.kplane.election;

/**
 * A write the elector asks its shell to perform against the API server.
 *
 * @param record                 the record to store
 * @param expectedResourceVersion the resourceVersion the update must be conditioned on, or
 *                               {@code null} to create the Lease (it did not exist)
 */
public record LeaseWrite(LeaseRecord record, String expectedResourceVersion) {
    /** True for a create (the Lease did not exist when read). */
    public boolean isCreate() {
        return expectedResourceVersion == null;
    }
}
