package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.Map;

/** A node taint: NoSchedule, PreferNoSchedule or NoExecute. */
public record Taint(
    String key,
    String value,
    String effect,
    Instant timeAdded,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public Taint {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public Taint withExtra(Map<String, Object> extra) {
    return new Taint(key, value, effect, timeAdded, extra);
  }

  public static Taint of(String key, String value, String effect) {
    return new Taint(key, value, effect, null, null);
  }
}
