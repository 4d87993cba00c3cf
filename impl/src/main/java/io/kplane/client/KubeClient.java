package io.kplane.client;

import io.kplane.model.CodecException;
import io.kplane.model.Json;
import io.kplane.model.KubeList;
import io.kplane.model.KubeObject;
import io.kplane.model.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;

/**
 * A blocking HTTP client for the Kubernetes REST API, typed by {@link ApiResource}:
 * {@link #get}, {@link #list}, {@link #create}, {@link #update}, {@link #updateStatus},
 * {@link #delete}, {@link #watch} and {@link #post} for subresources such as {@code pods/binding}.
 *
 * <p>Errors come back as {@link ApiException} carrying the server's {@code Status} (404, 409, 410,
 * 422, …); a server that cannot be reached raises {@link UncheckedIOException}. Thread-safe: one
 * instance is shared by every informer and worker of a process (it wraps one
 * {@link HttpClient}, which pools connections).
 *
 * <pre>{@code
 * KubeClient client = KubeClient.fromKubeconfig(Path.of(".kplane/kubeconfig"));
 * Pod pod = client.get(ApiResource.PODS, "default", "web-0");
 * KubeList<Pod> pods = client.list(ApiResource.PODS, "default", ListOptions.labelSelector("app=web"));
 * try (WatchStream<Pod> w = client.watch(ApiResource.PODS, null, ListOptions.NONE.withResourceVersion(rv))) {
 *   for (WatchEvent<Pod> e; (e = w.next()) != null; ) { ... }
 * }
 * }</pre>
 */
public final class KubeClient implements AutoCloseable {

    private final Kubeconfig config;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final String userAgent;

    /** A client for the configuration; requests time out after {@code requestTimeout} (watches do not). */
    public KubeClient(Kubeconfig config, Duration requestTimeout, String userAgent) {
        this.config = Objects.requireNonNull(config, "config");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.userAgent = userAgent == null ? "kplane" : userAgent;
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(15));   // includes the TLS handshake; slow on a loaded machine
        if (config.tls()) {
            try {
                b.sslContext(config.sslContext());
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalArgumentException("TLS settings of " + config + ": " + e.getMessage(), e);
            }
        }
        this.http = b.build();
    }

    public KubeClient(Kubeconfig config) {
        this(config, Duration.ofSeconds(30), "kplane");
    }

    /** A client for a kubeconfig file's current context. */
    public static KubeClient fromKubeconfig(Path file) throws IOException {
        return new KubeClient(Kubeconfig.read(file));
    }

    public Kubeconfig config() {
        return config;
    }

    /** The same server and credentials with another per-request timeout and user agent. */
    public KubeClient with(Duration timeout, String agent) {
        return new KubeClient(config, timeout, agent);
    }

    public <T extends KubeObject> T get(ApiResource<T> r, String namespace, String name) {
        return Json.read(send("GET", r.path(namespace, name, null), null, r), r.type());
    }

    /** The object, or null if it does not exist. */
    public <T extends KubeObject> T getOrNull(ApiResource<T> r, String namespace, String name) {
        try {
            return get(r, namespace, name);
        } catch (ApiException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }

    /** One list call ({@code namespace == null}: all namespaces). Pages are not followed; see {@link #listAll}. */
    public <T extends KubeObject> KubeList<T> list(ApiResource<T> r, String namespace, ListOptions options) {
        String q = options.query(false);
        byte[] body = send("GET", r.path(namespace, null, null) + (q.isEmpty() ? "" : "?" + q), null, r);
        return Json.read(body, Json.listType(r.type()));
    }

    /** Every page of a list; the result carries the resourceVersion of the first page. */
    public <T extends KubeObject> KubeList<T> listAll(ApiResource<T> r, String namespace, ListOptions options) {
        KubeList<T> first = list(r, namespace, options);
        if (first.metadata() == null || first.metadata().continueToken() == null || first.metadata().continueToken().isEmpty()) {
            return first;
        }
        java.util.List<T> items = new java.util.ArrayList<>(first.items());
        String token = first.metadata().continueToken();
        while (token != null && !token.isEmpty()) {
            KubeList<T> page = list(r, namespace, options.withContinue(token));
            items.addAll(page.items());
            token = page.metadata() == null ? null : page.metadata().continueToken();
        }
        return new KubeList<>(first.apiVersion(), first.kind(), first.metadata(), items, first.extra());
    }

    public <T extends KubeObject> T create(ApiResource<T> r, T object) {
        return Json.read(send("POST", r.path(object.namespace(), null, null), Json.writeBytes(object), r), r.type());
    }

    /** PUT: conditioned on {@code metadata.resourceVersion} when set (409 Conflict if stale). */
    public <T extends KubeObject> T update(ApiResource<T> r, T object) {
        return Json.read(send("PUT", r.path(object.namespace(), object.name(), null), Json.writeBytes(object), r), r.type());
    }

    /** PUT to the {@code status} subresource. */
    public <T extends KubeObject> T updateStatus(ApiResource<T> r, T object) {
        return Json.read(send("PUT", r.path(object.namespace(), object.name(), "status"), Json.writeBytes(object), r), r.type());
    }

    /** A JSON merge patch (RFC 7386). */
    public <T extends KubeObject> T mergePatch(ApiResource<T> r, String namespace, String name, Object patch) {
        byte[] body = Json.writeBytes(patch);
        HttpRequest req = request(r.path(namespace, name, null), requestTimeout)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/merge-patch+json").build();
        return Json.read(exchange(req, r), r.type());
    }

    /**
     * DELETE. Returns normally when the object is gone or marked for deletion (graceful deletion,
     * finalizers); a missing object raises a 404 {@link ApiException}.
     */
    public <T extends KubeObject> void delete(ApiResource<T> r, String namespace, String name, DeleteOptions options) {
        send("DELETE", r.path(namespace, name, null), Json.writeBytes(options.body()), r);
    }

    /** POST to a subresource, e.g. {@code pods/NAME/binding}; returns the response body's object or Status. */
    public <T extends KubeObject> byte[] post(ApiResource<T> r, String namespace, String name, String subresource, Object body) {
        return send("POST", r.path(namespace, name, subresource), Json.writeBytes(body), r);
    }

    /**
     * Opens a watch ({@code namespace == null}: all namespaces). A 410 on opening raises an
     * {@link ApiException} with {@link ApiException#isGone()}; a 410 during the stream arrives as
     * an ERROR event. The caller closes the stream.
     */
    public <T extends KubeObject> WatchStream<T> watch(ApiResource<T> r, String namespace, ListOptions options) {
        String q = options.query(true);
        HttpRequest req = request(r.path(namespace, null, null) + "?" + q, null).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("watch " + r + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
        }
        if (resp.statusCode() / 100 != 2) {
            byte[] body;
            try (InputStream in = resp.body()) {
                body = in.readAllBytes();
            } catch (IOException e) {
                body = new byte[0];
            }
            throw error(resp.statusCode(), body, r);
        }
        return new WatchStream<>(resp.body(), r.type());
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.server().toString().replaceAll("/+$", "") + path))
                .header("Accept", "application/json")
                .header("User-Agent", userAgent);
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (config.token() != null) {
            b.header("Authorization", "Bearer " + config.token());
        }
        return b;
    }

    private byte[] send(String method, String path, byte[] body, ApiResource<?> r) {
        HttpRequest.Builder b = request(path, requestTimeout);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
        }
        return exchange(b.build(), r);
    }

    private byte[] exchange(HttpRequest req, ApiResource<?> r) {
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(req.method() + " " + req.uri().getPath() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted: " + req.method() + " " + req.uri().getPath()));
        }
        if (resp.statusCode() / 100 != 2) {
            throw error(resp.statusCode(), resp.body(), r);
        }
        return resp.body();
    }

    private static ApiException error(int code, byte[] body, ApiResource<?> r) {
        Status status = null;
        try {
            if (body.length > 0 && body[0] == '{') {
                status = Json.read(body, Status.class);
            }
        } catch (CodecException e) {
            // not a Status: described below from the raw body
        }
        if (status == null || status.message() == null && status.reason() == null) {
            String text = new String(body, StandardCharsets.UTF_8).trim();
            status = Status.failure(code, reasonFor(code), r + ": HTTP " + code + (text.isEmpty() ? "" : ": " + text), null);
        }
        return new ApiException(code, status);
    }

    private static String reasonFor(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 409 -> "Conflict";
            case 410 -> "Expired";
            case 422 -> "Invalid";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            default -> code >= 500 ? "InternalError" : "Unknown";
        };
    }

    @Override
    public void close() {
        // java.net.http.HttpClient has no close() on Java 17; its pool dies with the last reference.
    }
}
