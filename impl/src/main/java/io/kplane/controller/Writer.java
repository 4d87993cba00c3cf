package io.kplane.controller;

import io.kplane.client.KubeClient;
import io.kplane.model.KubeObject;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Performs the {@link Action}s of reconcile cores against the API server — only while the gate
 * says this process leads: every write checks it first, so a controller-manager that lost its
 * Lease (could not renew before renewDeadline) stops writing at once, whatever its workers were
 * in the middle of.
 */
public final class Writer {
    private final KubeClient client;
    private final BooleanSupplier leading;
    private final AtomicLong writes = new AtomicLong();

    public Writer(KubeClient client, BooleanSupplier leading) {
        this.client = Objects.requireNonNull(client, "client");
        this.leading = Objects.requireNonNull(leading, "leading");
    }

    public KubeClient client() {
        return client;
    }

    /** How many writes were sent. */
    public long writes() {
        return writes.get();
    }

    /** Performs the action; returns the object as stored (null for deletes). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public KubeObject apply(Action action) {
        if (!leading.getAsBoolean()) {
            throw new NotLeadingException(describe(action));
        }
        writes.incrementAndGet();
        if (action instanceof Action.Create c) {
            return client.create(c.resource(), (KubeObject) c.object());
        } else if (action instanceof Action.Update u) {
            return client.update(u.resource(), (KubeObject) u.object());
        } else if (action instanceof Action.UpdateStatus s) {
            return client.updateStatus(s.resource(), (KubeObject) s.object());
        } else if (action instanceof Action.Delete d) {
            client.delete(d.resource(), d.namespace(), d.name(), d.options());
            return null;
        }
        throw new IllegalArgumentException("unknown action " + action);
    }

    static String describe(Action a) {
        if (a instanceof Action.Create<?> c) {
            return "create " + c.resource() + " " + name(c.object());
        } else if (a instanceof Action.Update<?> u) {
            return "update " + u.resource() + " " + name(u.object());
        } else if (a instanceof Action.UpdateStatus<?> s) {
            return "update status " + s.resource() + " " + name(s.object());
        } else if (a instanceof Action.Delete<?> d) {
            return "delete " + d.resource() + " " + d.namespace() + "/" + d.name();
        }
        return a.toString();
    }

    private static String name(KubeObject o) {
        String n = o.name() != null ? o.name() : o.metadata().generateName() + "*";
        return o.namespace() == null ? n : o.namespace() + "/" + n;
    }
}
