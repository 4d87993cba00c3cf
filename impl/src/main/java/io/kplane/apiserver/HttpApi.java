package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;

/**
 * The HTTP face of the API server: routes Kubernetes paths to the {@link Registry}, negotiates
 * JSON or Table output, authenticates, limits requests in flight (429 with Retry-After beyond the
 * limits, mutating and read-only separately; watches are long-running and not counted), records
 * metrics, and hands watches to {@link WatchStream}.
 */
final class HttpApi {
  private final ApiServer.Config config;
  private final Registry registry;
  private final Resources resources;
  private final WatchSource watchSource;
  private final Metrics metrics;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final Semaphore readOnly;
  private final Semaphore mutating;
  /**
   * Creates, updates and patches are served on the event loop that read them (the store answers
   * without waiting): each is one object and a few microseconds of store time, and handing it to a
   * worker and its answer back cost two thread wake-ups — at 1,000 writes/s beside 1,000 watch
   * streams, the difference between the box keeping up and falling seconds behind. Reads stay on
   * workers: a consistent list may wait for the watch cache.
   */
  private final boolean writesOnLoop;
  private final Clock clock = Clock.systemUTC();
  private volatile String address = "127.0.0.1:6443";

  HttpApi(ApiServer.Config config, Registry registry, WatchSource watchSource, Metrics metrics, ExecutorService workers,
          ScheduledExecutorService timers) {
    this.config = config;
    this.registry = registry;
    this.resources = registry.resources();
    this.watchSource = watchSource;
    this.metrics = metrics;
    this.workers = workers;
    this.timers = timers;
    this.writesOnLoop = registry.storage().answersWithoutWaiting();
    this.readOnly = new Semaphore(config.maxReadOnlyInFlight());
    this.mutating = new Semaphore(config.maxMutatingInFlight());
  }

  void setAddress(InetSocketAddress a) {
    this.address = a.getHostString() + ":" + a.getPort();
  }

  ChannelHandler newHandler() {
    return new Handler();
  }

  /** A parsed request. */
  static final class Call {
    final ChannelHandlerContext ctx;
    final FullHttpRequest http;
    final String method;
    final String path;
    final Map<String, String> query = new HashMap<>();
    /** The request body; a protobuf body is replaced by its JSON form before routing. */
    byte[] body;
    /** Warnings for the client, sent as {@code Warning: 299 - "..."} headers (kube-apiserver's format). */
    final List<String> warnings = new ArrayList<>();
    final long startNanos = System.nanoTime();
    ResourceType type;
    String namespace;
    String name;
    String subresource;
    String verb = "GET";
    boolean keepAlive;

    Call(ChannelHandlerContext ctx, FullHttpRequest http) {
      this.ctx = ctx;
      this.http = http;
      this.method = http.method().name();
      QueryStringDecoder d = new QueryStringDecoder(http.uri());
      this.path = d.path();
      d.parameters().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
      this.body = ByteBufUtil.getBytes(http.content());
      this.keepAlive = HttpUtil.isKeepAlive(http);
    }

    String accept() {
      String a = http.headers().get(HttpHeaderNames.ACCEPT);
      return a == null ? "" : a;
    }

    boolean wantsTable() {
      return accept().contains("as=Table");
    }

    boolean dryRun() {
      return query.containsKey("dryRun") && !query.get("dryRun").isEmpty();
    }

    String scope() {
      if (type == null) {
        return "";
      }
      if (name != null) {
        return "resource";
      }
      return namespace != null ? "namespace" : "cluster";
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      Call call = new Call(ctx, req);
      if (!req.decoderResult().isSuccess()) {
        respond(call, 400, Status.badRequest("malformed request"));
        return;
      }
      X509Certificate cert = null;
      // Over HTTP/2 the request is a stream's child channel; TLS is on the connection, its parent.
      SslHandler ssl = (ctx.channel() instanceof io.netty.handler.codec.http2.Http2StreamChannel stream ? stream.parent() : ctx.channel())
          .pipeline().get(SslHandler.class);
      if (ssl != null) {
        try {
          Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
          if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
            cert = x;
          }
        } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
          // no client certificate
        }
      }
      if (config.authenticator().authenticate(req.headers().get(HttpHeaderNames.AUTHORIZATION), cert) == null) {
        respond(call, 401, Status.failure(401, "Unauthorized", "Unauthorized", null));
        return;
      }
      boolean watch = isWatch(call);
      boolean isMutating = !(call.method.equals("GET") || call.method.equals("HEAD") || call.method.equals("OPTIONS"));
      Semaphore limit = watch ? null : isMutating ? mutating : readOnly;
      if (limit != null && !limit.tryAcquire()) {
        (isMutating ? metrics.droppedMutating : metrics.droppedReadOnly).increment();
        FullHttpResponse r = response(call, 429, Status.failure(429, "TooManyRequests", "Too many requests, please try again later.",
            new io.kplane.model.StatusDetails(null, null, null, null, null, 1, null)));
        r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        write(call, r);
        return;
      }
      (isMutating ? metrics.inflightMutating : metrics.inflightReadOnly).incrementAndGet();
      Runnable task = () -> {
        try {
          handle(call);
        } finally {
          if (limit != null) {
            limit.release();
          }
          (isMutating ? metrics.inflightMutating : metrics.inflightReadOnly).decrementAndGet();
        }
      };
      if (writesOnLoop && (call.method.equals("POST") || call.method.equals("PUT") || call.method.equals("PATCH"))) {
        task.run();
        return;
      }
      try {
        workers.execute(task);
      } catch (RejectedExecutionException e) {
        if (limit != null) {
          limit.release();
        }
        respond(call, 503, Status.failure(503, "ServiceUnavailable", "the server is shutting down", null));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private static boolean isWatch(Call call) {
    return call.method.equals("GET") && ("true".equals(call.query.get("watch")) || "1".equals(call.query.get("watch"))
        || call.path.contains("/watch/"));
  }

  // ---------------------------------------------------------------------------------- routing

  private void handle(Call call) {
    try {
      route(call);
    } catch (ApiException e) {
      respond(call, e.code(), e.status());
    } catch (StorageException.Unavailable e) {
      respond(call, 503, Status.failure(503, "ServiceUnavailable", "storage unavailable: " + e.getMessage(), null));
    } catch (StorageException e) {
      respond(call, 500, Status.internalError(e.getMessage()));
    } catch (RuntimeException e) {
      respond(call, 500, Status.internalError(e.toString()));
    }
  }

  private void route(Call call) {
    String p = call.path.length() > 1 && call.path.endsWith("/") ? call.path.substring(0, call.path.length() - 1) : call.path;
    switch (p) {
      case "/version" -> {
        json(call, 200, Discovery.version());
        return;
      }
      case "/healthz", "/livez", "/readyz" -> {
        text(call, 200, "ok", "text/plain; charset=utf-8");
        return;
      }
      case "/metrics" -> {
        text(call, 200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
        return;
      }
      case "/api" -> {
        json(call, 200, Discovery.coreVersions(address));
        return;
      }
      case "/apis" -> {
        json(call, 200, Discovery.groupList(resources));
        return;
      }
      case "/openapi/v2" -> {
        if (!call.accept().isEmpty() && !call.accept().contains("json") && !call.accept().contains("*/*")) {
          respond(call, 406, Status.failure(406, "NotAcceptable", "only application/json is served for /openapi/v2", null));
        } else {
          json(call, 200, OpenApi.v2(resources));
        }
        return;
      }
      case "/openapi/v3" -> {
        json(call, 200, OpenApi.v3Root(resources));
        return;
      }
      default -> {
      }
    }
    if (p.startsWith("/openapi/v3/")) {
      ObjectNode doc = OpenApi.v3(resources, p.substring("/openapi/v3/".length()));
      if (doc == null) {
        throw new ApiException(Status.failure(404, "NotFound", "the server could not find the requested resource", null));
      }
      json(call, 200, doc);
      return;
    }
    String[] seg = p.substring(1).split("/");
    String group;
    String version;
    int rest;
    if (seg[0].equals("api") && seg.length >= 2) {
      group = "";
      version = seg[1];
      rest = 2;
    } else if (seg[0].equals("apis") && seg.length >= 2) {
      group = seg[1];
      if (seg.length == 2) {
        if (!resources.groups().contains(group)) {
          throw notFound();
        }
        json(call, 200, Discovery.group(resources, group));
        return;
      }
      version = seg[2];
      rest = 3;
    } else {
      throw notFound();
    }
    if (resources.inGroupVersion(group, version).isEmpty()) {
      throw notFound();
    }
    List<String> r = new ArrayList<>(List.of(seg).subList(rest, seg.length));
    if (r.isEmpty()) {
      json(call, 200, Discovery.resourceList(resources, group, version));
      return;
    }
    if (r.get(0).equals("watch")) {
      r.remove(0);
      call.query.put("watch", "true");
    }
    if (r.size() >= 3 && r.get(0).equals("namespaces") && resources.find(group, version, r.get(2)) != null
        && resources.find(group, version, r.get(2)).namespaced()) {
      call.namespace = r.get(1);
      r = r.subList(2, r.size());
    }
    if (r.isEmpty() || r.size() > 3) {
      throw notFound();
    }
    call.type = resources.find(group, version, r.get(0));
    if (call.type == null) {
      throw notFound();
    }
    call.name = r.size() >= 2 ? r.get(1) : null;
    call.subresource = r.size() == 3 ? r.get(2) : null;
    if (call.subresource != null && !call.type.subresources().contains(call.subresource)) {
      throw notFound();
    }
    if (call.type.namespaced() && call.namespace == null && call.name != null) {
      throw notFound();
    }
    resource(call);
  }

  private static ApiException notFound() {
    return new ApiException(Status.failure(404, "NotFound", "the server could not find the requested resource", null));
  }

  private void resource(Call call) {
    String contentType = call.http.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
    validateFields(call, contentType);
    if (call.body.length > 0 && contentType.startsWith(ProtobufDecoder.MEDIA_TYPE) && !call.method.equals("PATCH")) {
      ProtobufDecoder.Decoded decoded = ProtobufDecoder.decode(call.body);
      call.warnings.addAll(decoded.warnings());
      try {
        call.body = Registry.JSON.writeValueAsBytes(decoded.object());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    } else if (call.body.length > 0 && (contentType.startsWith(ProtobufDecoder.MEDIA_TYPE) || contentType.startsWith("application/cbor"))) {
      throw new ApiException(Status.failure(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
          + "accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf", null));
    }
    if (!acceptsJson(call.accept())) {
      throw new ApiException(Status.failure(406, "NotAcceptable", "only the following media types are accepted: application/json, "
          + "application/yaml (protobuf responses are not encoded by this server)", null));
    }
    ResourceType t = call.type;
    String ns = call.namespace;
    switch (call.method) {
      case "GET" -> {
        if (call.name == null) {
          if ("true".equals(call.query.get("watch")) || "1".equals(call.query.get("watch"))) {
            call.verb = "WATCH";
            new WatchStream(call, registry, watchSource, metrics, timers, config.bookmarkInterval(), clock).start();
            return;
          }
          call.verb = "LIST";
          Registry.ListOptions opts = Registry.ListOptions.of(t, call.query);
          Registry.ListResult lr = watchSource instanceof CachedWatchSource cached ? cached.list(registry, t, ns, opts)
              : registry.list(t, ns, opts);
          if (call.wantsTable()) {
            json(call, 200, Tables.table(t, lr.items(), Long.toString(lr.revision()), lr.continueToken(), call.query.get("includeObject"),
                clock.instant()));
          } else {
            json(call, 200, listObject(t, lr));
          }
          return;
        }
        call.verb = "GET";
        ObjectNode o = registry.get(t, ns, call.name);
        if ("scale".equals(call.subresource)) {
          o = registry.toScale(t, o);
        }
        if (call.wantsTable() && call.subresource == null) {
          json(call, 200, Tables.table(t, List.of(o), null, null, call.query.get("includeObject"), clock.instant()));
        } else {
          json(call, 200, o);
        }
      }
      case "POST" -> {
        call.verb = "POST";
        if (call.name != null && "binding".equals(call.subresource)) {
          bind(call);
          return;
        }
        if (call.name != null && "eviction".equals(call.subresource)) {
          evict(call);
          return;
        }
        if (call.name != null) {
          throw new ApiException(Status.methodNotAllowed("the server does not allow this method on the requested resource"));
        }
        if (t.namespaced() && ns == null) {
          throw notFound();
        }
        ObjectNode created = registry.create(t, ns, Registry.parseBody(call.body), call.dryRun(), writer(call));
        json(call, 201, created);
      }
      case "PUT" -> {
        call.verb = "PUT";
        requireName(call);
        json(call, 200, registry.update(t, ns, call.name, call.subresource, Registry.parseBody(call.body), call.dryRun(),
            writer(call)));
      }
      case "PATCH" -> {
        call.verb = "PATCH";
        requireName(call);
        if (call.http.headers().get(HttpHeaderNames.CONTENT_TYPE, "").startsWith("application/apply-patch")) {
          serverSideApply(call);
          return;
        }
        json(call, 200, registry.patch(t, ns, call.name, call.subresource,
            call.http.headers().get(HttpHeaderNames.CONTENT_TYPE), call.body, call.dryRun(), writer(call)));
      }
      case "DELETE" -> {
        JsonNode body = call.body.length == 0 ? Registry.JSON.createObjectNode() : Registry.parseBody(call.body);
        Registry.DeleteOptions opts = Registry.DeleteOptions.of(body, call.query);
        if (call.name == null) {
          call.verb = "DELETECOLLECTION";
          Registry.ListResult lr = registry.list(t, ns, Registry.ListOptions.of(t, call.query));
          List<ObjectNode> deleted = new ArrayList<>();
          for (ObjectNode o : lr.items()) {
            try {
              deleted.add(registry.delete(t, o.path("metadata").path("namespace").asText(null), o.path("metadata").path("name").asText(),
                  opts).object());
            } catch (ApiException e) {
              if (e.code() != 404) {
                throw e;
              }
            }
          }
          json(call, 200, listObject(t, new Registry.ListResult(deleted, lr.revision(), "", null)));
          return;
        }
        call.verb = "DELETE";
        if (t.kind().equals("Namespace") && !opts.dryRun()) {
          registry.get(t, null, call.name);
          registry.delete(t, null, call.name, new Registry.DeleteOptions(0L, opts.propagationPolicy(), opts.preconditionUid(),
              opts.preconditionResourceVersion(), false));
          registry.deleteNamespaceContent(call.name);
          // The namespace went first so that nothing new can be created in it while its content goes.
          respond(call, 200, Registry.deletedStatus(t, Registry.JSON.createObjectNode().set("metadata",
              Registry.JSON.createObjectNode().put("name", call.name))));
          return;
        }
        Registry.Deleted d = registry.delete(t, ns, call.name, opts);
        if (!d.gone() || t.kind().equals("Pod") || t.kind().equals("Service")) {
          json(call, 200, d.object());
        } else {
          respond(call, 200, Registry.deletedStatus(t, d.object()));
        }
      }
      default -> throw new ApiException(Status.methodNotAllowed("the server does not allow this method on the requested resource"));
    }
  }

  /** {@link FieldValidation} of a write's JSON or YAML body: Strict throws 400, Warn adds warnings. */
  private static void validateFields(Call call, String contentType) {
    boolean patch = call.method.equals("PATCH");
    if (!(patch || call.method.equals("POST") || call.method.equals("PUT")) || call.body.length == 0
        || contentType.startsWith(ProtobufDecoder.MEDIA_TYPE) || contentType.startsWith("application/json-patch+json")) {
      return;
    }
    FieldValidation.Mode mode = FieldValidation.mode(call.query.get("fieldValidation"));
    String kind = call.subresource == null || call.subresource.equals("status") ? call.type.kind() : switch (call.subresource) {
      case "scale" -> "Scale";
      case "binding" -> "Binding";
      case "eviction" -> "Eviction";
      default -> "";
    };
    boolean partial = patch && !contentType.startsWith("application/apply-patch");
    call.warnings.addAll(FieldValidation.check(mode, kind, call.type.apiVersion(), call.body, partial));
  }

  /** Whether an Accept header admits a JSON answer (absent, a wildcard or any JSON type). */
  static boolean acceptsJson(String accept) {
    if (accept.isBlank()) {
      return true;
    }
    for (String part : accept.split(",")) {
      String type = part.split(";")[0].trim();
      if (type.equals("*/*") || type.equals("application/*") || type.equals("application/json") || type.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static void requireName(Call call) {
    if (call.name == null) {
      throw new ApiException(Status.methodNotAllowed("the server does not allow this method on the requested resource"));
    }
  }

  /**
   * Who makes a create, update or (non-apply) patch, for managedFields: {@code ?fieldManager=},
   * else the product part of the User-Agent. Upstream's limit: at most 128 characters.
   */
  private static ManagedFields.Writer writer(Call call) {
    String named = call.query.getOrDefault("fieldManager", "");
    if (named.length() > 128) {
      throw new ApiException(Status.invalid("meta.k8s.io", "PatchOptions", "", List.of(new io.kplane.model.StatusCause(
          "FieldValueInvalid", "Invalid value: must be no more than 128 characters", "fieldManager", null))));
    }
    if (!named.isEmpty()) {
      return new ManagedFields.Writer(named, true);
    }
    String product = call.http.headers().get(HttpHeaderNames.USER_AGENT, "").split("/", 2)[0].trim();
    return new ManagedFields.Writer(product.isEmpty() ? "unknown" : product, false);
  }

  /** PATCH application/apply-patch+yaml: {@link ServerSideApply}, creating the object when it does not exist. */
  private void serverSideApply(Call call) {
    String manager = call.query.getOrDefault("fieldManager", "");
    if (manager.isEmpty()) {
      throw new ApiException(Status.invalid("meta.k8s.io", "PatchOptions", "", List.of(new io.kplane.model.StatusCause(
          "FieldValueRequired", "Required value: is required for apply patch", "fieldManager", null))));
    }
    if (call.subresource != null && !call.subresource.equals("status")) {
      throw new ApiException(Status.failure(415, "UnsupportedMediaType", "server-side apply of the " + call.subresource
          + " subresource is not supported by this server", null));
    }
    ObjectNode config = Registry.parseBody(call.body);
    String bodyName = config.path("metadata").path("name").asText("");
    if (!bodyName.equals(call.name)) {
      throw ApiException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + call.name + ")");
    }
    boolean force = "true".equals(call.query.get("force"));
    ResourceType t = call.type;
    if ("status".equals(call.subresource)) {
      // status is applied to an object that exists (404 otherwise), as upstream
      json(call, 200, registry.guaranteedUpdate(t, call.namespace, call.name, "", call.dryRun(),
          cur -> ServerSideApply.apply(t, cur, config, manager, force, clock.instant(), "status"), "status", null));
      return;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        json(call, 200, registry.guaranteedUpdate(t, call.namespace, call.name, "", call.dryRun(),
            cur -> ServerSideApply.apply(t, cur, config, manager, force, clock.instant()), null, null));
        return;
      } catch (ApiException e) {
        if (e.code() != 404) {
          throw e;
        }
      }
      try {
        ObjectNode created = ServerSideApply.apply(t, null, config, manager, force, clock.instant());
        json(call, 201, registry.create(t, call.namespace, created, call.dryRun()));
        return;
      } catch (ApiException e) {
        if (e.code() != 409 || !"AlreadyExists".equals(e.status().reason())) {
          throw e;
        }
      }
    }
    throw new ApiException(Status.conflict(t.group(), t.resource(), call.name, "the object was created and deleted concurrently"));
  }

  private void bind(Call call) {
    ObjectNode binding = Registry.parseBody(call.body);
    String node = binding.path("target").path("name").asText("");
    if (node.isEmpty()) {
      throw new ApiException(Status.invalid("", "Binding", call.name, List.of(
          new io.kplane.model.StatusCause("FieldValueRequired", "Required value", "target.name", null))));
    }
    registry.guaranteedUpdate(call.type, call.namespace, call.name, "", call.dryRun(), pod -> {
      String current = pod.path("spec").path("nodeName").asText("");
      if (!current.isEmpty()) {
        throw new ApiException(Status.conflict("", "pods", call.name, "pod " + call.name + " is already assigned to node \"" + current + "\""));
      }
      if (pod.path("metadata").has("deletionTimestamp")) {
        throw new ApiException(Status.conflict("", "pods", call.name, "pod " + call.name + " is being deleted, cannot be assigned to a host"));
      }
      Defaults.obj(pod, "spec").put("nodeName", node);
      ObjectNode status = Defaults.obj(pod, "status");
      ArrayNode conditions = status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
      for (int i = conditions.size() - 1; i >= 0; i--) {
        if (conditions.get(i).path("type").asText().equals("PodScheduled")) {
          conditions.remove(i);
        }
      }
      ObjectNode c = conditions.addObject();
      c.put("type", "PodScheduled");
      c.put("status", "True");
      c.putNull("lastProbeTime");
      c.put("lastTransitionTime", java.time.format.DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
      return pod;
    }, "binding");
    json(call, 201, (JsonNode) Registry.JSON.valueToTree(Status.success()));
  }

  /**
   * {@code pods/eviction}: the pod's PodDisruptionBudget is consulted and decremented in one
   * compare-and-swap (a refusal is 429, see {@link Eviction}), then the pod is deleted with the
   * eviction's deleteOptions.
   */
  private void evict(Call call) {
    ObjectNode eviction = Registry.parseBody(call.body);
    JsonNode opts = eviction.path("deleteOptions");
    Registry.DeleteOptions options = Registry.DeleteOptions.of(opts.isObject() ? opts : Registry.JSON.createObjectNode(), Map.of());
    if (call.dryRun() && !options.dryRun()) {
      options = new Registry.DeleteOptions(options.gracePeriodSeconds(), options.propagationPolicy(), options.preconditionUid(),
          options.preconditionResourceVersion(), true);
    }
    ObjectNode pod = registry.get(call.type, call.namespace, call.name);
    if (options.preconditionUid() != null && !options.preconditionUid().equals(pod.path("metadata").path("uid").asText())) {
      throw new ApiException(Status.conflict("", "pods", call.name, "the UID in the precondition (" + options.preconditionUid()
          + ") does not match the UID in record (" + pod.path("metadata").path("uid").asText() + "). The object might have been deleted and then recreated"));
    }
    ResourceType budgets = registry.resources().find("policy", "v1", "poddisruptionbudgets");
    if (budgets != null && !Eviction.ignoresBudgets(pod)) {
      List<ObjectNode> matching = Eviction.budgetsOf(pod,
          registry.list(budgets, call.namespace, Registry.ListOptions.of(budgets, Map.of())).items());
      if (matching.size() > 1) {
        throw Eviction.moreThanOneBudget();
      }
      if (matching.size() == 1 && !Eviction.unhealthyMayGo(pod, matching.get(0))) {
        String budget = matching.get(0).path("metadata").path("name").asText();
        registry.guaranteedUpdate(budgets, call.namespace, budget, "", options.dryRun(),
            pdb -> Eviction.decrement(pdb, call.name, clock.instant()), "status");
      }
    }
    registry.delete(call.type, call.namespace, call.name, options);
    json(call, 201, (JsonNode) Registry.JSON.valueToTree(Status.success()));
  }

  static ObjectNode listObject(ResourceType t, Registry.ListResult lr) {
    ObjectNode list = Registry.JSON.createObjectNode();
    list.put("kind", t.listKind());
    list.put("apiVersion", t.apiVersion());
    ObjectNode meta = list.putObject("metadata");
    meta.put("resourceVersion", Long.toString(lr.revision()));
    if (!lr.continueToken().isEmpty()) {
      meta.put("continue", lr.continueToken());
    }
    if (lr.remaining() != null) {
      meta.put("remainingItemCount", lr.remaining());
    }
    ArrayNode items = list.putArray("items");
    lr.items().forEach(items::add);
    return list;
  }

  // -------------------------------------------------------------------------------- responses

  void json(Call call, int code, JsonNode body) {
    byte[] bytes;
    try {
      bytes = Registry.JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), Unpooled.wrappedBuffer(bytes));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    write(call, r);
  }

  private void text(Call call, int code, String body, String contentType) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    write(call, r);
  }

  void respond(Call call, int code, Status status) {
    write(call, response(call, code, status));
  }

  private static FullHttpResponse response(Call call, int code, Status status) {
    byte[] bytes = io.kplane.model.Json.writeBytes(status);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), Unpooled.wrappedBuffer(bytes));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    return r;
  }

  private void write(Call call, FullHttpResponse r) {
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    r.headers().set("Audit-Id", java.util.UUID.randomUUID().toString());
    for (String w : call.warnings) {
      r.headers().add("Warning", "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }
    metrics.request(call.verb, call.type, call.subresource, call.scope(), r.status().code(), System.nanoTime() - call.startNanos);
    if (call.keepAlive) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      call.ctx.writeAndFlush(r);
    } else {
      call.ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
  }

  static ByteBuf buffer(byte[] bytes) {
    return Unpooled.wrappedBuffer(bytes);
  }
}
