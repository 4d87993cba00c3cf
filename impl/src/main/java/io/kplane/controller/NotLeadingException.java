package io.kplane.controller;

/** A write was refused because this controller-manager no longer believes it leads. */
public final class NotLeadingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotLeadingException(String what) {
        super("not leading: refused " + what);
    }
}
