package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * A watcher's label and field selectors. The watch cache keeps one instance per distinct pair
 * ({@link #key}), so that watchers with the same selectors share it and each event is matched
 * against it once ({@link CachedEvent#frameFor}), not once per watcher.
 */
final class WatchFilter {
  private final ResourceType type;
  private final Registry.ListOptions options;
  private final boolean everything;

  WatchFilter(ResourceType type, Registry.ListOptions options) {
    this.type = type;
    this.options = options;
    this.everything = options.matchesEverything();
  }

  /** Canonical text of the selectors: equal for equal filters. */
  static String key(Registry.ListOptions options) {
    return options.labels() + "\u0000" + options.fields();
  }

  boolean everything() {
    return everything;
  }

  boolean matches(JsonNode object) {
    if (everything) {
      return true;
    }
    Map<String, String> labels = new HashMap<>();
    object.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return options.labels().matches(labels) && options.fields().matches(FieldSelection.fields(type, object));
  }
}
