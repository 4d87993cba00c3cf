package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * A list envelope ({@code PodList}, {@code List}, …): items plus {@code metadata.resourceVersion}
 * and {@code metadata.continue}. Items of a {@code KubeList<KubeObject>} are typed by their kind.
 */
public record KubeList<T>(
    String apiVersion,
    String kind,
    ListMeta metadata,
    List<T> items,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements ApiObject {

  public KubeList {
    if (apiVersion == null) {
      apiVersion = "v1";
    }
    if (kind == null) {
      kind = "List";
    }
    items = Immutable.list(items);
    extra = Immutable.map(extra);
  }

  /** A typed list such as {@code PodList}: kind is the item kind + "List". */
  public static <T> KubeList<T> of(String apiVersion, String itemKind, ListMeta metadata, List<T> items) {
    return new KubeList<>(apiVersion, itemKind + "List", metadata, items, null);
  }
}
