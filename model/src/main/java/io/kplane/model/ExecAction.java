package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** A command probe action. */
public record ExecAction(
    List<String> command,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public ExecAction {
    command = Immutable.list(command);
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public ExecAction withExtra(Map<String, Object> extra) {
    return new ExecAction(command, extra);
  }
}
