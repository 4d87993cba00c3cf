package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** A readiness/liveness/startup probe. Unset numbers take the Kubernetes defaults through the {@code ...OrDefault()} methods. */
public record Probe(
    ExecAction exec,
    HttpGetAction httpGet,
    TcpSocketAction tcpSocket,
    Integer initialDelaySeconds,
    Integer timeoutSeconds,
    Integer periodSeconds,
    Integer successThreshold,
    Integer failureThreshold,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public Probe {
    extra = Immutable.map(extra);
  }

  public Probe withExec(ExecAction exec) {
    return new Probe(exec, httpGet, tcpSocket, initialDelaySeconds, timeoutSeconds, periodSeconds, successThreshold, failureThreshold, extra);
  }

  public Probe withHttpGet(HttpGetAction httpGet) {
    return new Probe(exec, httpGet, tcpSocket, initialDelaySeconds, timeoutSeconds, periodSeconds, successThreshold, failureThreshold, extra);
  }

  public Probe withTcpSocket(TcpSocketAction tcpSocket) {
    return new Probe(exec, httpGet, tcpSocket, initialDelaySeconds, timeoutSeconds, periodSeconds, successThreshold, failureThreshold, extra);
  }

  public Probe withInitialDelaySeconds(Integer initialDelaySeconds) {
    return new Probe(exec, httpGet, tcpSocket, initialDelaySeconds, timeoutSeconds, periodSeconds, successThreshold, failureThreshold, extra);
  }

  public Probe withTimeoutSeconds(Integer timeoutSeconds) {
    return new Probe(exec, httpGet, tcpSocket, initialDelaySeconds, timeoutSeconds, periodSeconds, successThreshold, failureThreshold, extra);
  }

  public Probe withPeriodSeconds(Integer periodSeconds) {
    return new Probe(exec, httpGet, tcpSocket, initialDelaySeconds, timeoutSeconds, periodSeconds, successThreshold, failureThreshold, extra);
  }

  public Probe withSuccessThreshold(Integer successThreshold) {
    return new Probe(exec, httpGet, tcpSocket, initialDelaySeconds, timeoutSeconds, periodSeconds, successThreshold, failureThreshold, extra);
  }

  public Probe withFailureThreshold(Integer failureThreshold) {
    return new Probe(exec, httpGet, tcpSocket, initialDelaySeconds, timeoutSeconds, periodSeconds, successThreshold, failureThreshold, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public Probe withExtra(Map<String, Object> extra) {
    return new Probe(exec, httpGet, tcpSocket, initialDelaySeconds, timeoutSeconds, periodSeconds, successThreshold, failureThreshold, extra);
  }

  public int initialDelaySecondsOrDefault() {
    return initialDelaySeconds != null ? initialDelaySeconds : 0;
  }

  public int timeoutSecondsOrDefault() {
    return timeoutSeconds != null ? timeoutSeconds : 1;
  }

  public int periodSecondsOrDefault() {
    return periodSeconds != null ? periodSeconds : 10;
  }

  public int successThresholdOrDefault() {
    return successThreshold != null ? successThreshold : 1;
  }

  public int failureThresholdOrDefault() {
    return failureThreshold != null ? failureThreshold : 3;
  }
}
