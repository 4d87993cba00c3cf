package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** An IP address of a pod or its host ({@code podIPs}, {@code hostIPs}). */
public record PodIP(
    String ip,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public PodIP {
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public PodIP withExtra(Map<String, Object> extra) {
    return new PodIP(ip, extra);
  }

  public static PodIP of(String ip) {
    return new PodIP(ip, null);
  }
}
