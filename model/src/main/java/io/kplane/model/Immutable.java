package io.kplane.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Normalises the collections of the API records: {@code null} becomes empty, everything becomes
 * unmodifiable. Empty collections are omitted on output, so a round trip is stable. Unlike
 * {@link List#copyOf}, null elements (legal in JSON, e.g. in unknown fields) are kept.
 */
final class Immutable {
  private Immutable() {}

  static <T> List<T> list(List<T> list) {
    if (list == null || list.isEmpty()) {
      return List.of();
    }
    return Collections.unmodifiableList(new ArrayList<>(list));
  }

  static <K, V> Map<K, V> map(Map<K, V> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  static <K, V> Map<K, V> with(Map<K, V> map, K key, V value) {
    Map<K, V> copy = new LinkedHashMap<>(map);
    copy.put(key, value);
    return Collections.unmodifiableMap(copy);
  }
}
