package io.kplane.check.history;

/** One event a watch stream delivered: a put ({@code value}) or a delete of {@code key} at {@code revision}. */
public record WatchEvent(long revision, String key, boolean delete, String value) {
    @Override
    public String toString() {
        return "rev " + revision + " " + (delete ? "delete " + key : "put " + key + " = " + value);
    }
}
