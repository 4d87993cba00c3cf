/**
 * The proxy as a running component: {@link io.kplane.proxy.runtime.ProxySyncLoop} (event intake
 * from any thread, single-writer duty cycle, partial/full/retry scheduling by {@link
 * io.kplane.proxy.runtime.SyncScheduler}, kube-proxy's metrics in {@link
 * io.kplane.proxy.runtime.ProxyMetrics}) and {@link io.kplane.proxy.runtime.ProxyRuntime}
 * (informers feeding one loop per IP family the node programs). The only proxy package that picks a backend.
 */
package io.kplane.proxy.runtime;
