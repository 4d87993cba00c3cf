package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code metadata} of lists and {@link Status}: resourceVersion and the pagination token {@code continue}. */
public record ListMeta(
    String resourceVersion,
    @JsonProperty("continue") String continueToken,
    Long remainingItemCount,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ListMeta {
    extra = Immutable.map(extra);
  }

  public static ListMeta of(String resourceVersion) {
    return new ListMeta(resourceVersion, null, null, null);
  }

  public static ListMeta of(String resourceVersion, String continueToken) {
    return new ListMeta(resourceVersion, continueToken, null, null);
  }
}
