/**
 * The client side of the Kubernetes API, used by every control-plane component (controllers,
 * scheduler, proxy, hollow kubelets, the CLI).
 *
 * <ul>
 *   <li>{@link io.kplane.client.KubeClient}: blocking REST calls typed by
 *       {@link io.kplane.client.ApiResource} (get/list/create/update/updateStatus/mergePatch/delete,
 *       subresource posts, watches as {@link io.kplane.client.WatchStream}); errors are
 *       {@link io.kplane.client.ApiException} with the server's Status. Configured from a
 *       kubeconfig ({@link io.kplane.client.Kubeconfig}: server, CA or insecure, bearer token or
 *       client certificate).</li>
 *   <li>{@link io.kplane.client.Informer}: list, then watch from the list's resourceVersion
 *       (bookmarks on, relist on 410, backoff on failures, periodic resync) into a
 *       {@link io.kplane.client.Cache} indexed by namespace, label and node, with
 *       {@link io.kplane.client.EventHandler}s called in order on one thread.</li>
 *   <li>{@link io.kplane.client.WorkQueue}: de-duplicating, one-worker-per-key, delayed and
 *       rate-limited ({@link io.kplane.client.RateLimiter}: per-key exponential backoff and an
 *       overall token bucket) — client-go's workqueue semantics.</li>
 * </ul>
 *
 * <p>A controller wires them as client-go controllers do:
 * <pre>{@code
 * KubeClient client = KubeClient.fromKubeconfig(Path.of(".kplane/kubeconfig"));
 * Informer<Pod> pods = new Informer<>(client, ApiResource.PODS);
 * WorkQueue<String> queue = new WorkQueue<>("pods");
 * pods.addHandler(EventHandler.onAny(p -> queue.add(Cache.keyOf(p))));
 * pods.start().waitForSync(Duration.ofSeconds(30));
 * for (String key; (key = queue.get()) != null; ) {
 *   try { reconcile(pods.cache().get(key)); queue.forget(key); }
 *   catch (RuntimeException e) { queue.addRateLimited(key); }
 *   finally { queue.done(key); }
 * }
 * }</pre>
 */
package io.kplane.client;
