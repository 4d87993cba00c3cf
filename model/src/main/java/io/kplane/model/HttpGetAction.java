package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** An HTTP GET probe action. */
public record HttpGetAction(
    String path,
    IntOrString port,
    String host,
    String scheme,
    List<HttpHeader> httpHeaders,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public HttpGetAction {
    httpHeaders = Immutable.list(httpHeaders);
    extra = Immutable.map(extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public HttpGetAction withExtra(Map<String, Object> extra) {
    return new HttpGetAction(path, port, host, scheme, httpHeaders, extra);
  }
}
