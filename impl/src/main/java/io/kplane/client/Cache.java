package io.kplane.client;

import io.kplane.model.KubeObject;
import io.kplane.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The local copy of one resource that an {@link Informer} keeps (client-go's indexer): objects by
 * key ({@code namespace/name}, or {@code name} when cluster-scoped) and secondary indexes from an
 * index value to the keys of the objects that produce it. {@link #NAMESPACE}, {@link #LABEL}
 * ({@code key=value} per label) and {@link #NODE_NAME} (a pod's {@code spec.nodeName}) are always
 * present; more can be added before the informer starts.
 *
 * <p>One writer (the informer) and any number of readers: every method takes this object's lock,
 * which is held only for map operations. Objects are immutable records, so what a reader gets
 * stays valid.
 */
public final class Cache<T extends KubeObject> {

    public static final String NAMESPACE = "namespace";
    public static final String LABEL = "label";
    public static final String NODE_NAME = "nodeName";

    private final Map<String, T> items = new HashMap<>();
    private final Map<String, Function<T, Collection<String>>> indexFns = new LinkedHashMap<>();
    private final Map<String, Map<String, Set<String>>> indexes = new HashMap<>();

    public Cache() {
        addIndex(NAMESPACE, o -> o.namespace() == null ? List.of() : List.of(o.namespace()));
        addIndex(LABEL, o -> {
            Map<String, String> labels = o.metadata() == null ? Map.of() : o.metadata().labels();
            List<String> out = new ArrayList<>(labels.size());
            labels.forEach((k, v) -> out.add(k + "=" + v));
            return out;
        });
        addIndex(NODE_NAME, o -> o instanceof Pod p && p.spec() != null && p.spec().nodeName() != null
                ? List.of(p.spec().nodeName()) : List.of());
    }

    /** The key of an object: {@code namespace/name}, or {@code name} without a namespace. */
    public static String keyOf(KubeObject o) {
        return key(o.namespace(), o.name());
    }

    public static String key(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** Adds an index; the function returns the index values of an object. */
    public synchronized void addIndex(String name, Function<T, Collection<String>> fn) {
        if (indexFns.containsKey(name)) {
            throw new IllegalArgumentException("index " + name + " exists");
        }
        indexFns.put(name, fn);
        Map<String, Set<String>> index = new HashMap<>();
        indexes.put(name, index);
        items.forEach((k, o) -> fn.apply(o).forEach(v -> index.computeIfAbsent(v, x -> new java.util.HashSet<>()).add(k)));
    }

    public synchronized T get(String key) {
        return items.get(key);
    }

    public synchronized T get(String namespace, String name) {
        return items.get(key(namespace, name));
    }

    public synchronized List<T> list() {
        return new ArrayList<>(items.values());
    }

    public synchronized List<String> keys() {
        return new ArrayList<>(items.keySet());
    }

    public synchronized int size() {
        return items.size();
    }

    /** Objects whose index {@code index} produces {@code value}, e.g. {@code byIndex(LABEL, "app=web")}. */
    public synchronized List<T> byIndex(String index, String value) {
        Map<String, Set<String>> idx = indexes.get(index);
        if (idx == null) {
            throw new IllegalArgumentException("no index " + index);
        }
        Set<String> keys = idx.getOrDefault(value, Set.of());
        List<T> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            out.add(items.get(k));
        }
        return out;
    }

    /** Stores an object; returns the previous one with its key, or null. */
    public synchronized T put(T o) {
        String k = keyOf(o);
        T old = items.put(k, o);
        if (old != null) {
            unindex(k, old);
        }
        index(k, o);
        return old;
    }

    /** Removes the object with the key of {@code o}; returns what was stored, or null. */
    public synchronized T remove(T o) {
        String k = keyOf(o);
        T old = items.remove(k);
        if (old != null) {
            unindex(k, old);
        }
        return old;
    }

    /** Replaces everything (after a relist); returns the objects that were dropped. */
    public synchronized List<T> replace(Collection<T> objects) {
        Map<String, T> next = new HashMap<>();
        for (T o : objects) {
            next.put(keyOf(o), o);
        }
        List<T> dropped = new ArrayList<>();
        items.forEach((k, o) -> {
            if (!next.containsKey(k)) {
                dropped.add(o);
            }
        });
        items.clear();
        indexes.values().forEach(Map::clear);
        next.forEach((k, o) -> {
            items.put(k, o);
            index(k, o);
        });
        return dropped;
    }

    private void index(String key, T o) {
        indexFns.forEach((name, fn) -> {
            Map<String, Set<String>> idx = indexes.get(name);
            for (String v : fn.apply(o)) {
                idx.computeIfAbsent(v, x -> new java.util.HashSet<>()).add(key);
            }
        });
    }

    private void unindex(String key, T o) {
        indexFns.forEach((name, fn) -> {
            Map<String, Set<String>> idx = indexes.get(name);
            for (String v : fn.apply(o)) {
                Set<String> keys = idx.get(v);
                if (keys != null) {
                    keys.remove(key);
                    if (keys.isEmpty()) {
                        idx.remove(v);
                    }
                }
            }
        });
    }
}
