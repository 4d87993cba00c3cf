package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A pod template (ReplicaSet, Deployment). */
public record PodTemplateSpec(
    ObjectMeta metadata,
    PodSpec spec,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public PodTemplateSpec {
    extra = Immutable.map(extra);
  }

  public PodTemplateSpec withMetadata(ObjectMeta metadata) {
    return new PodTemplateSpec(metadata, spec, extra);
  }

  public PodTemplateSpec withSpec(PodSpec spec) {
    return new PodTemplateSpec(metadata, spec, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public PodTemplateSpec withExtra(Map<String, Object> extra) {
    return new PodTemplateSpec(metadata, spec, extra);
  }
}
