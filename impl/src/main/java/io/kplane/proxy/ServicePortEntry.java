package io.kplane.proxy;

import java.util.List;

/**
 * One service port with its current endpoints (sorted by {@code ip:port}, each address once).
 *
 * <p>The tracker replaces an entry whenever its Service or endpoints change, so a renderer can keep
 * the text it produced for an entry in the entry itself: a cached fragment is valid exactly as
 * long as the entry object is the same. The slots carry their owner so two renderers with
 * different settings never read each other's text.
 */
public final class ServicePortEntry {
    private final ServicePortInfo info;
    private final List<EndpointInfo> endpoints;
    /** Two slots: one entry is rendered by at most one iptables and one nftables renderer in practice. */
    private Object ownerA;
    private Object fragmentA;
    private Object ownerB;
    private Object fragmentB;

    public ServicePortEntry(ServicePortInfo info, List<EndpointInfo> endpoints) {
        this.info = info;
        this.endpoints = List.copyOf(endpoints);
    }

    public ServicePortInfo info() {
        return info;
    }

    public List<EndpointInfo> endpoints() {
        return endpoints;
    }

    /** What {@code renderer} kept for this entry with {@link #keepFragment}, or null (nothing, or kept by another renderer). */
    public Object fragment(Object renderer) {
        return renderer == ownerA ? fragmentA : renderer == ownerB ? fragmentB : null;
    }

    /**
     * Keeps a renderer's text for this entry. A third renderer takes over slot B; the renderer that
     * lost it finds no fragment and renders the entry again.
     */
    public void keepFragment(Object renderer, Object fragment) {
        if (ownerA == null || ownerA == renderer) {
            ownerA = renderer;
            fragmentA = fragment;
        } else {
            ownerB = renderer;
            fragmentB = fragment;
        }
    }

    @Override
    public String toString() {
        return info.nameString() + " -> " + endpoints;
    }
}
