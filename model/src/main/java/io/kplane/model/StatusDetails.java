package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** Details of a {@link Status}: which object, and the causes (one per invalid field). */
public record StatusDetails(
    String name,
    String group,
    String kind,
    String uid,
    List<StatusCause> causes,
    Integer retryAfterSeconds,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public StatusDetails {
    causes = Immutable.list(causes);
    extra = Immutable.map(extra);
  }

  public static StatusDetails of(String name, String group, String kind) {
    return new StatusDetails(name, group, kind, null, null, null, null);
  }
}
