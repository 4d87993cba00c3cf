package io.kplane.kubelet;

import io.kplane.model.HttpGetAction;
import io.kplane.model.Probe;
import io.kplane.model.TcpSocketAction;
import java.util.concurrent.TimeUnit;

/**
 * A probe with Kubernetes' defaults filled in: initialDelaySeconds 0, timeoutSeconds 1,
 * periodSeconds 10, successThreshold 1, failureThreshold 3 (values below the API's minimum of 1
 * are raised to it, as validation would have required).
 */
record ProbeSpec(HttpGetAction httpGet, TcpSocketAction tcpSocket, boolean exec, long initialDelayNs, long timeoutNs,
                 long periodNs, int successThreshold, int failureThreshold) {

    static ProbeSpec of(Probe p) {
        return new ProbeSpec(p.httpGet(), p.tcpSocket(), p.exec() != null,
                TimeUnit.SECONDS.toNanos(orDefault(p.initialDelaySeconds(), 0, 0)),
                TimeUnit.SECONDS.toNanos(orDefault(p.timeoutSeconds(), 1, 1)),
                TimeUnit.SECONDS.toNanos(orDefault(p.periodSeconds(), 10, 1)),
                orDefault(p.successThreshold(), 1, 1),
                orDefault(p.failureThreshold(), 3, 1));
    }

    private static int orDefault(Integer value, int dflt, int min) {
        return value == null ? dflt : Math.max(min, value);
    }
}
