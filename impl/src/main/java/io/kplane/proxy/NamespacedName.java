package io.kplane.proxy;

/** A namespace and a name; the key of a Service. */
public record NamespacedName(String namespace, String name) implements Comparable<NamespacedName> {
    @Override
    public String toString() {
        return namespace + "/" + name;
    }

    @Override
    public int compareTo(NamespacedName o) {
        int c = namespace.compareTo(o.namespace);
        return c != 0 ? c : name.compareTo(o.name);
    }
}
