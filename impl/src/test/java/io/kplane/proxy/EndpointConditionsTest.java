package io.kplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Unset EndpointSlice conditions take the defaults kube-proxy's EndpointSliceCache gives them. */
class EndpointConditionsTest {

    @Test
    void unsetServingMeansServingEvenWhenNotReady() {
        // A terminating endpoint whose publisher sets only ready=false still serves (fallback).
        var e = new EndpointSliceSpec.Endpoint("10.0.0.1", false, null, true, "n");
        assertThat(e.isReady()).isFalse();
        assertThat(e.isServing()).isTrue();
        assertThat(e.isTerminating()).isTrue();
    }

    @Test
    void unsetConditionsMeanReadyServingAndNotTerminating() {
        var e = new EndpointSliceSpec.Endpoint("10.0.0.1", null, null, null, "n");
        assertThat(e.isReady()).isTrue();
        assertThat(e.isServing()).isTrue();
        assertThat(e.isTerminating()).isFalse();
        var notServing = new EndpointSliceSpec.Endpoint("10.0.0.1", null, false, null, "n");
        assertThat(notServing.isServing()).isFalse();
    }
}
