package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** A container of a pod: image, ports, resources and probes. */
public record Container(
    String name,
    String image,
    List<String> command,
    List<String> args,
    List<ContainerPort> ports,
    ResourceRequirements resources,
    Probe readinessProbe,
    Probe livenessProbe,
    Probe startupProbe,
    String imagePullPolicy,
    String restartPolicy,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public Container {
    command = Immutable.list(command);
    args = Immutable.list(args);
    ports = Immutable.list(ports);
    extra = Immutable.map(extra);
  }

  public Container withName(String name) {
    return new Container(name, image, command, args, ports, resources, readinessProbe, livenessProbe, startupProbe, imagePullPolicy, restartPolicy, extra);
  }

  public Container withImage(String image) {
    return new Container(name, image, command, args, ports, resources, readinessProbe, livenessProbe, startupProbe, imagePullPolicy, restartPolicy, extra);
  }

  public Container withPorts(List<ContainerPort> ports) {
    return new Container(name, image, command, args, ports, resources, readinessProbe, livenessProbe, startupProbe, imagePullPolicy, restartPolicy, extra);
  }

  public Container withResources(ResourceRequirements resources) {
    return new Container(name, image, command, args, ports, resources, readinessProbe, livenessProbe, startupProbe, imagePullPolicy, restartPolicy, extra);
  }

  public Container withReadinessProbe(Probe readinessProbe) {
    return new Container(name, image, command, args, ports, resources, readinessProbe, livenessProbe, startupProbe, imagePullPolicy, restartPolicy, extra);
  }

  public Container withLivenessProbe(Probe livenessProbe) {
    return new Container(name, image, command, args, ports, resources, readinessProbe, livenessProbe, startupProbe, imagePullPolicy, restartPolicy, extra);
  }

  public Container withStartupProbe(Probe startupProbe) {
    return new Container(name, image, command, args, ports, resources, readinessProbe, livenessProbe, startupProbe, imagePullPolicy, restartPolicy, extra);
  }

  public Container withRestartPolicy(String restartPolicy) {
    return new Container(name, image, command, args, ports, resources, readinessProbe, livenessProbe, startupProbe, imagePullPolicy, restartPolicy, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public Container withExtra(Map<String, Object> extra) {
    return new Container(name, image, command, args, ports, resources, readinessProbe, livenessProbe, startupProbe, imagePullPolicy, restartPolicy, extra);
  }

  public static Container of(String name, String image) {
    return new Container(name, image, null, null, null, null, null, null, null, null, null, null);
  }

  /** The resources, or empty ones (never null). */
  public ResourceRequirements resourcesOrEmpty() {
    return resources != null ? resources : ResourceRequirements.EMPTY;
  }
}
