package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Map;

/** An event (core/v1 Event). eventTime is a MicroTime. */
public record Event(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    ObjectReference involvedObject,
    String reason,
    String message,
    EventSource source,
    Instant firstTimestamp,
    Instant lastTimestamp,
    Integer count,
    String type,
    @JsonSerialize(using = Json.MicroTimeSerializer.class) Instant eventTime,
    String action,
    String reportingComponent,
    String reportingInstance,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

  public Event {
    if (apiVersion == null) {
      apiVersion = API_VERSION;
    }
    if (kind == null) {
      kind = KIND;
    }
    extra = Immutable.map(extra);
  }

  public Event withMetadata(ObjectMeta metadata) {
    return new Event(apiVersion, kind, metadata, involvedObject, reason, message, source, firstTimestamp, lastTimestamp, count, type, eventTime, action, reportingComponent, reportingInstance, extra);
  }

  public Event withCount(Integer count) {
    return new Event(apiVersion, kind, metadata, involvedObject, reason, message, source, firstTimestamp, lastTimestamp, count, type, eventTime, action, reportingComponent, reportingInstance, extra);
  }

  public Event withLastTimestamp(Instant lastTimestamp) {
    return new Event(apiVersion, kind, metadata, involvedObject, reason, message, source, firstTimestamp, lastTimestamp, count, type, eventTime, action, reportingComponent, reportingInstance, extra);
  }

  public Event withMessage(String message) {
    return new Event(apiVersion, kind, metadata, involvedObject, reason, message, source, firstTimestamp, lastTimestamp, count, type, eventTime, action, reportingComponent, reportingInstance, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public Event withExtra(Map<String, Object> extra) {
    return new Event(apiVersion, kind, metadata, involvedObject, reason, message, source, firstTimestamp, lastTimestamp, count, type, eventTime, action, reportingComponent, reportingInstance, extra);
  }

  public static final String API_VERSION = "v1";
  public static final String KIND = "Event";
}
