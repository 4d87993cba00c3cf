package io.kplane.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Map;

/** The holder of a lease and its times. acquireTime and renewTime are MicroTime (6 fractional digits). */
public record LeaseSpec(
    String holderIdentity,
    Integer leaseDurationSeconds,
    @JsonSerialize(using = Json.MicroTimeSerializer.class) Instant acquireTime,
    @JsonSerialize(using = Json.MicroTimeSerializer.class) Instant renewTime,
    Integer leaseTransitions,
    String strategy,
    String preferredHolder,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

  public LeaseSpec {
    extra = Immutable.map(extra);
  }

  public LeaseSpec withHolderIdentity(String holderIdentity) {
    return new LeaseSpec(holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions, strategy, preferredHolder, extra);
  }

  public LeaseSpec withLeaseDurationSeconds(Integer leaseDurationSeconds) {
    return new LeaseSpec(holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions, strategy, preferredHolder, extra);
  }

  public LeaseSpec withAcquireTime(Instant acquireTime) {
    return new LeaseSpec(holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions, strategy, preferredHolder, extra);
  }

  public LeaseSpec withRenewTime(Instant renewTime) {
    return new LeaseSpec(holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions, strategy, preferredHolder, extra);
  }

  public LeaseSpec withLeaseTransitions(Integer leaseTransitions) {
    return new LeaseSpec(holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions, strategy, preferredHolder, extra);
  }

  public LeaseSpec withStrategy(String strategy) {
    return new LeaseSpec(holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions, strategy, preferredHolder, extra);
  }

  public LeaseSpec withPreferredHolder(String preferredHolder) {
    return new LeaseSpec(holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions, strategy, preferredHolder, extra);
  }

  /** A copy with other fields unknown to this model (written back as they are). */
  public LeaseSpec withExtra(Map<String, Object> extra) {
    return new LeaseSpec(holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions, strategy, preferredHolder, extra);
  }

  public static LeaseSpec of(String holderIdentity, int leaseDurationSeconds, Instant acquireTime, Instant renewTime, int leaseTransitions) {
    return new LeaseSpec(holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions, null, null, null);
  }
}
