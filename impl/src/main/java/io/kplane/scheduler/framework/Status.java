package io.kplane.scheduler.framework;

/**
 * The result of running a plugin, with upstream's codes. Plugins keep preallocated failure
 * statuses so that the filter hot path allocates nothing.
 */
public final class Status {

    /** Upstream status codes. */
    public enum Code { SUCCESS, ERROR, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, WAIT, SKIP, PENDING }

    public static final Status SUCCESS = new Status(Code.SUCCESS, "", "");
    public static final Status SKIP = new Status(Code.SKIP, "", "");
    public static final Status PENDING = new Status(Code.PENDING, "", "");

    private final Code code;
    private final String plugin;
    private final String reason;

    private Status(Code code, String plugin, String reason) {
        this.code = code;
        this.plugin = plugin;
        this.reason = reason;
    }

    public static Status unschedulable(String plugin, String reason) {
        return new Status(Code.UNSCHEDULABLE, plugin, reason);
    }

    public static Status unresolvable(String plugin, String reason) {
        return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, plugin, reason);
    }

    public static Status error(String plugin, String reason) {
        return new Status(Code.ERROR, plugin, reason);
    }

    public static Status waiting(String plugin) {
        return new Status(Code.WAIT, plugin, "waiting");
    }

    public Code code() { return code; }
    public String plugin() { return plugin; }
    public String reason() { return reason; }
    public boolean isSuccess() { return code == Code.SUCCESS; }
    public boolean isSkip() { return code == Code.SKIP; }
    /** Unschedulable or UnschedulableAndUnresolvable. */
    public boolean isRejected() {
        return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE;
    }

    @Override
    public String toString() {
        return code + (plugin.isEmpty() ? "" : "(" + plugin + ": " + reason + ")");
    }
}
