package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real kubectl 1.32 against the API server. Subclasses choose the storage (embedded store, real
 * etcd 3.4); each test works in a namespace of its own.
 */
abstract class KubectlScenarios {

  abstract TestApiServer server();

  static String manifest(String ns) {
    return """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: %1$s
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: %1$s
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: nginx
                image: nginx:1.25
                ports:
                - containerPort: 80
                env:
                - name: MODE
                  value: fast
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: %1$s
        spec:
          selector: {app: web}
          ports:
          - port: 80
            targetPort: 8080
        """.formatted(ns);
  }

  static String service(String name, String ns) {
    return "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: " + ns + "}\nspec:\n  ports: [{port: 80}]\n";
  }

  TestApiServer.Run ok(String... args) throws Exception {
    TestApiServer.Run r = server().kubectl(args);
    assertThat(r.code()).as("kubectl %s\n%s", String.join(" ", args), r).isZero();
    return r;
  }

  JsonNode json(String... args) throws Exception {
    return Registry.JSON.readTree(ok(args).out());
  }

  /** Creates a namespace with {@code kubectl create namespace} (a protobuf request body). */
  void namespace(String ns) throws Exception {
    ok("create", "namespace", ns);
  }

  void apply(String ns) throws Exception {
    TestApiServer.Run r = server().kubectlWithInput(manifest(ns), "apply", "-f", "-");
    assertThat(r.code()).as("%s", r).isZero();
  }

  @Test
  void applyTwiceCreatesThenLeavesUnchanged() throws Exception {
    TestApiServer.Run first = server().kubectlWithInput(manifest("apply2"), "apply", "-f", "-");
    assertThat(first.code()).as("%s", first).isZero();
    assertThat(first.out()).contains("namespace/apply2 created", "deployment.apps/web created", "service/web created");
    String rv = json("get", "-n", "apply2", "deploy", "web", "-o", "json").path("metadata").path("resourceVersion").asText();
    TestApiServer.Run second = server().kubectlWithInput(manifest("apply2"), "apply", "-f", "-");
    assertThat(second.code()).as("%s", second).isZero();
    assertThat(second.out()).contains("namespace/apply2 unchanged", "deployment.apps/web unchanged", "service/web unchanged");
    JsonNode d = json("get", "-n", "apply2", "deploy", "web", "-o", "json");
    assertThat(d.path("metadata").path("resourceVersion").asText()).isEqualTo(rv);
    // a changed manifest is patched: the strategic merge keeps the container's env and changes its image
    TestApiServer.Run third = server().kubectlWithInput(manifest("apply2").replace("nginx:1.25", "nginx:1.27"), "apply", "-f", "-");
    assertThat(third.out()).as("%s", third).contains("deployment.apps/web configured");
    JsonNode c = json("get", "-n", "apply2", "deploy", "web", "-o", "json").path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(c.path("image").asText()).isEqualTo("nginx:1.27");
    assertThat(c.path("env").get(0).path("value").asText()).isEqualTo("fast");
    assertThat(json("get", "-n", "apply2", "deploy", "web", "-o", "json").path("metadata").path("generation").asInt()).isEqualTo(2);
    JsonNode svc = json("get", "-n", "apply2", "svc", "web", "-o", "json");
    assertThat(svc.path("spec").path("clusterIP").asText()).startsWith("10.");
    assertThat(svc.path("spec").path("ports").get(0).path("protocol").asText()).isEqualTo("TCP");
  }

  @Test
  void getPrintsTablesJsonYamlAndFilters() throws Exception {
    apply("gets");
    String wide = ok("get", "-n", "gets", "deploy", "-o", "wide").out();
    assertThat(wide).contains("NAME", "READY", "UP-TO-DATE", "CONTAINERS", "IMAGES", "SELECTOR", "web", "0/2", "nginx:1.25", "app=web");
    assertThat(ok("get", "-n", "gets", "svc").out()).contains("CLUSTER-IP", "ClusterIP", "80/TCP");
    assertThat(ok("get", "-n", "gets", "deploy", "web", "-o", "yaml").out()).contains("kind: Deployment", "replicas: 2");
    ok("run", "-n", "gets", "lonely", "--image=busybox", "--labels=role=lonely", "--restart=Never");
    ok("run", "-n", "gets", "other", "--image=busybox", "--labels=role=other", "--restart=Never");
    assertThat(ok("get", "-n", "gets", "pods", "-l", "role=lonely", "-o", "name").out().strip()).isEqualTo("pod/lonely");
    assertThat(ok("get", "-n", "gets", "pods", "--field-selector", "metadata.name=other", "-o", "name").out().strip()).isEqualTo("pod/other");
    assertThat(ok("get", "pods", "-A", "--field-selector", "spec.nodeName=,status.phase=Pending", "-o", "name").out())
        .contains("pod/lonely", "pod/other");
    TestApiServer.Run bad = server().kubectl("get", "-n", "gets", "pods", "--field-selector", "spec.bogus=x");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains("field label not supported");
    // paging: kubectl --chunk-size makes several list calls with limit and continue
    for (int i = 0; i < 5; i++) {
      TestApiServer.Run r = server().kubectlWithInput(service("s" + i, "gets"), "create", "-f", "-");
      assertThat(r.code()).as("%s", r).isZero();
    }
    assertThat(ok("get", "-n", "gets", "svc", "--chunk-size=2", "-o", "name").out().lines().count()).isEqualTo(6);
  }

  @Test
  void scalePatchLabelAndDescribe() throws Exception {
    apply("edits");
    ok("scale", "-n", "edits", "deploy/web", "--replicas=5");
    assertThat(json("get", "-n", "edits", "deploy", "web", "-o", "json").path("spec").path("replicas").asInt()).isEqualTo(5);
    assertThat(ok("get", "-n", "edits", "deploy", "web", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("5");
    ok("patch", "-n", "edits", "deploy", "web", "-p", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:2\"}]}}}}");
    JsonNode c = json("get", "-n", "edits", "deploy", "web", "-o", "json").path("spec").path("template").path("spec").path("containers");
    assertThat(c).hasSize(1);
    assertThat(c.get(0).path("image").asText()).isEqualTo("nginx:2");
    assertThat(c.get(0).path("env")).hasSize(1);
    ok("patch", "-n", "edits", "deploy", "web", "--type=merge", "-p", "{\"spec\":{\"minReadySeconds\":7}}");
    ok("patch", "-n", "edits", "deploy", "web", "--type=json", "-p", "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]");
    JsonNode d = json("get", "-n", "edits", "deploy", "web", "-o", "json");
    assertThat(d.path("spec").path("minReadySeconds").asInt()).isEqualTo(7);
    assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(1);
    ok("label", "-n", "edits", "deploy", "web", "tier=front");
    assertThat(ok("get", "deploy", "-A", "-l", "tier=front", "-o", "name").out()).contains("deployment.apps/web");
    ok("label", "-n", "edits", "deploy", "web", "tier-");
    assertThat(ok("get", "deploy", "-A", "-l", "tier=front", "-o", "name").out()).doesNotContain("deployment.apps/web");
    String describe = ok("describe", "-n", "edits", "deploy", "web").out();
    assertThat(describe).contains("Name:", "web", "Replicas:", "1 desired", "nginx:2", "MODE:");
    assertThat(ok("describe", "-n", "edits", "svc", "web").out()).contains("TargetPort:", "8080/TCP");
  }

  @Test
  void staleResourceVersionUpdateIsAConflict() throws Exception {
    apply("stale");
    Path old = server().dir.resolve("stale.json");
    Files.writeString(old, ok("get", "-n", "stale", "deploy", "web", "-o", "json").out());
    ok("label", "-n", "stale", "deploy", "web", "changed=yes");
    TestApiServer.Run r = server().kubectl("replace", "-f", old.toString());
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("Conflict", "the object has been modified; please apply your changes to the latest version and try again");
  }

  @Test
  void invalidObjectsAreRejectedWithTheFieldAtFault() throws Exception {
    namespace("invalid");
    TestApiServer.Run noContainers = server().kubectlWithInput("""
        apiVersion: v1
        kind: Pod
        metadata: {name: empty, namespace: invalid}
        spec: {containers: []}
        """, "create", "-f", "-");
    assertThat(noContainers.code()).isNotZero();
    assertThat(noContainers.err()).contains("is invalid", "spec.containers: Required value");
    TestApiServer.Run badName = server().kubectlWithInput("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Not_Valid\n", "create", "-f", "-");
    assertThat(badName.code()).isNotZero();
    assertThat(badName.err()).contains("RFC 1123");
    TestApiServer.Run missingNs = server().kubectlWithInput(service("x", "nowhere"), "create", "-f", "-");
    assertThat(missingNs.err()).contains("namespaces \"nowhere\" not found");
    TestApiServer.Run exists = server().kubectlWithInput("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: invalid\n", "create", "-f", "-");
    assertThat(exists.err()).contains("AlreadyExists");
  }

  @Test
  void getWatchStreamsChanges() throws Exception {
    namespace("watching");
    Path out = server().dir.resolve("watch.txt");
    Process watch = server().kubectlAsync(out, "get", "pods", "-n", "watching", "-w", "-o", "name");
    try {
      Thread.sleep(1500); // let the watch start; events before it would still be listed
      ok("run", "-n", "watching", "w1", "--image=busybox", "--restart=Never");
      ok("label", "-n", "watching", "pod", "w1", "seen=yes");
      ok("delete", "-n", "watching", "pod", "w1");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (Files.readString(out).lines().filter("pod/w1"::equals).count() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(Files.readString(out).lines().filter("pod/w1"::equals).count()).isGreaterThanOrEqualTo(3);
    } finally {
      watch.destroy();
      watch.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void deleteWithEachPropagationPolicy() throws Exception {
    apply("deletes");
    ok("delete", "-n", "deletes", "deploy", "web", "--cascade=background");
    assertThat(server().kubectl("get", "-n", "deletes", "deploy", "web").err()).contains("NotFound");
    apply("deletes");
    ok("delete", "-n", "deletes", "deploy", "web", "--cascade=foreground", "--wait=false");
    JsonNode fg = json("get", "-n", "deletes", "deploy", "web", "-o", "json").path("metadata");
    assertThat(fg.path("finalizers").toString()).contains("foregroundDeletion");
    assertThat(fg.path("deletionTimestamp").asText()).isNotEmpty();
    // the garbage collector would remove the finalizer once dependents are gone; here we do
    ok("patch", "-n", "deletes", "deploy", "web", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
    assertThat(server().kubectl("get", "-n", "deletes", "deploy", "web").err()).contains("NotFound");
    apply("deletes");
    ok("delete", "-n", "deletes", "deploy", "web", "--cascade=orphan", "--wait=false");
    assertThat(json("get", "-n", "deletes", "deploy", "web", "-o", "json").path("metadata").path("finalizers").toString())
        .contains("orphan");
    ok("delete", "-n", "deletes", "svc", "web");
    ok("delete", "namespace", "deletes", "--wait=true");
    assertThat(server().kubectl("get", "namespace", "deletes").err()).contains("NotFound");
  }

  @Test
  void podsOnANodeAreDeletedGracefully() throws Exception {
    namespace("grace");
    TestApiServer.Run r = server().kubectlWithInput("""
        apiVersion: v1
        kind: Pod
        metadata: {name: bound, namespace: grace}
        spec:
          nodeName: node-1
          terminationGracePeriodSeconds: 45
          containers: [{name: c, image: busybox}]
        """, "create", "-f", "-");
    assertThat(r.code()).as("%s", r).isZero();
    ok("delete", "-n", "grace", "pod", "bound", "--wait=false");
    JsonNode meta = json("get", "-n", "grace", "pod", "bound", "-o", "json").path("metadata");
    assertThat(meta.path("deletionGracePeriodSeconds").asInt()).isEqualTo(45);
    assertThat(ok("get", "-n", "grace", "pod", "bound").out()).contains("Terminating");
    ok("delete", "-n", "grace", "pod", "bound", "--grace-period=0", "--force");
    assertThat(server().kubectl("get", "-n", "grace", "pod", "bound").err()).contains("NotFound");
  }

  /**
   * kubectl's typed commands ({@code create namespace|deployment|service}) send
   * {@code application/vnd.kubernetes.protobuf} bodies; the stored objects hold every field
   * kubectl's own client-side rendering of the same object has, and the JSON-patching commands
   * then work on them.
   */
  @Test
  void typedCommandsSendProtobufAndTheObjectsRoundTrip() throws Exception {
    ok("create", "namespace", "typed");
    JsonNode ns = json("get", "namespace", "typed", "-o", "json");
    assertThat(ns.path("metadata").path("uid").asText()).isNotEmpty();
    assertThat(ns.path("status").path("phase").asText()).isEqualTo("Active");

    ok("create", "deployment", "web", "-n", "typed", "--image=nginx:1.25", "--replicas=3", "--port=8080");
    JsonNode d = json("get", "-n", "typed", "deploy", "web", "-o", "json");
    JsonNode clientSide = json("create", "deployment", "web", "-n", "typed", "--image=nginx:1.25", "--replicas=3", "--port=8080",
        "--dry-run=client", "-o", "json");
    assertContains(d, clientSide, "");
    assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(3);
    JsonNode c = d.path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(c.path("image").asText()).isEqualTo("nginx:1.25");
    assertThat(c.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);
    assertThat(d.path("spec").path("selector").path("matchLabels").path("app").asText()).isEqualTo("web");
    // an explicit zero of a pointer field survives (omitempty would have dropped it)
    ok("create", "deployment", "idle", "-n", "typed", "--image=busybox", "--replicas=0");
    assertThat(json("get", "-n", "typed", "deploy", "idle", "-o", "json").path("spec").path("replicas").isInt()).isTrue();
    assertThat(json("get", "-n", "typed", "deploy", "idle", "-o", "json").path("spec").path("replicas").asInt()).isZero();

    ok("create", "service", "clusterip", "web", "-n", "typed", "--tcp=80:8080", "--tcp=443:8443");
    JsonNode svc = json("get", "-n", "typed", "svc", "web", "-o", "json");
    assertContains(svc, json("create", "service", "clusterip", "web", "-n", "typed", "--tcp=80:8080", "--tcp=443:8443",
        "--dry-run=client", "-o", "json"), "");
    assertThat(svc.path("spec").path("clusterIP").asText()).startsWith("10.");
    assertThat(svc.path("spec").path("ports")).hasSize(2);
    assertThat(svc.path("spec").path("ports").get(1).path("targetPort").asInt()).isEqualTo(8443);

    ok("create", "priorityclass", "typed-high", "--value=1000", "--description=typed");
    JsonNode pc = json("get", "priorityclass", "typed-high", "-o", "json");
    assertThat(pc.path("value").asInt()).isEqualTo(1000);
    assertThat(pc.path("description").asText()).isEqualTo("typed");

    ok("scale", "-n", "typed", "deploy/web", "--replicas=5");
    ok("label", "-n", "typed", "deploy", "web", "tier=front");
    ok("annotate", "-n", "typed", "deploy", "web", "owner=team-a");
    ok("set", "image", "-n", "typed", "deploy/web", "nginx=nginx:1.27");
    d = json("get", "-n", "typed", "deploy", "web", "-o", "json");
    assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(5);
    assertThat(d.path("metadata").path("labels").path("tier").asText()).isEqualTo("front");
    assertThat(d.path("metadata").path("annotations").path("owner").asText()).isEqualTo("team-a");
    assertThat(d.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText()).isEqualTo("nginx:1.27");
    assertThat(d.path("metadata").path("generation").asInt()).isGreaterThan(1);

    ok("delete", "-n", "typed", "deploy", "web");
    ok("delete", "-n", "typed", "svc", "web");
    ok("delete", "priorityclass", "typed-high");
    assertThat(server().kubectl("get", "-n", "typed", "deploy", "web").err()).contains("NotFound");
    assertThat(server().kubectl("get", "-n", "typed", "svc", "web").err()).contains("NotFound");
  }

  static String ssaManifest(String labels, int replicas) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: ssa
          labels: {%s}
        spec:
          replicas: %d
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: nginx
                image: nginx:1.25
        """.formatted(labels, replicas);
  }

  /** kubectl apply --server-side: create, no-op re-apply, field ownership, conflicts (409) and --force-conflicts. */
  @Test
  void serverSideApplyOwnsFieldsAndReportsConflicts() throws Exception {
    TestApiServer.Run ns = server().kubectlWithInput("apiVersion: v1\nkind: Namespace\nmetadata: {name: ssa}\n", "apply", "--server-side", "-f", "-");
    assertThat(ns.code()).as("%s", ns).isZero();
    TestApiServer.Run first = server().kubectlWithInput(ssaManifest("app: web, stage: one", 2), "apply", "--server-side", "-f", "-");
    assertThat(first.code()).as("%s", first).isZero();
    assertThat(first.out()).contains("deployment.apps/web serverside-applied");
    JsonNode d = json("get", "-n", "ssa", "deploy", "web", "-o", "json", "--show-managed-fields");
    JsonNode mf = d.path("metadata").path("managedFields");
    assertThat(mf).hasSize(1);
    assertThat(mf.get(0).path("manager").asText()).isEqualTo("kubectl");
    assertThat(mf.get(0).path("operation").asText()).isEqualTo("Apply");
    assertThat(mf.get(0).path("fieldsV1").path("f:spec").has("f:replicas")).isTrue();
    assertThat(mf.get(0).path("fieldsV1").path("f:spec").path("f:template").path("f:spec").path("f:containers")
        .has("k:{\"name\":\"nginx\"}")).isTrue();
    String rv = d.path("metadata").path("resourceVersion").asText();
    // the same configuration again changes nothing
    TestApiServer.Run again = server().kubectlWithInput(ssaManifest("app: web, stage: one", 2), "apply", "--server-side", "-f", "-");
    assertThat(again.code()).as("%s", again).isZero();
    assertThat(json("get", "-n", "ssa", "deploy", "web", "-o", "json").path("metadata").path("resourceVersion").asText()).isEqualTo(rv);
    // another manager changing a field kubectl owns is a conflict
    TestApiServer.Run clash = server().kubectlWithInput(ssaManifest("app: web", 5), "apply", "--server-side", "--field-manager=autoscaler",
        "-f", "-");
    assertThat(clash.code()).isNotZero();
    assertThat(clash.err()).contains("conflict", "kubectl", ".spec.replicas");
    assertThat(json("get", "-n", "ssa", "deploy", "web", "-o", "json").path("spec").path("replicas").asInt()).isEqualTo(2);
    // --force-conflicts takes the field over
    TestApiServer.Run forced = server().kubectlWithInput(ssaManifest("app: web", 5), "apply", "--server-side", "--field-manager=autoscaler",
        "--force-conflicts", "-f", "-");
    assertThat(forced.code()).as("%s", forced).isZero();
    d = json("get", "-n", "ssa", "deploy", "web", "-o", "json", "--show-managed-fields");
    assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(5);
    JsonNode kubectlFields = null;
    for (JsonNode e : d.path("metadata").path("managedFields")) {
      if (e.path("manager").asText().equals("kubectl")) {
        kubectlFields = e.path("fieldsV1");
      }
    }
    assertThat(kubectlFields).isNotNull();
    assertThat(kubectlFields.path("f:spec").has("f:replicas")).as("replicas changed hands").isFalse();
    // a label kubectl applied before and applies no more is removed; one it never owned stays
    ok("label", "-n", "ssa", "deploy", "web", "added=by-hand");
    TestApiServer.Run dropped = server().kubectlWithInput(ssaManifest("app: web", 5).replace("  replicas: 5\n", ""), "apply",
        "--server-side", "-f", "-");
    assertThat(dropped.code()).as("%s", dropped).isZero();
    JsonNode labels = json("get", "-n", "ssa", "deploy", "web", "-o", "json").path("metadata").path("labels");
    assertThat(labels.has("stage")).isFalse();
    assertThat(labels.path("app").asText()).isEqualTo("web");
    assertThat(labels.path("added").asText()).isEqualTo("by-hand");
    assertThat(json("get", "-n", "ssa", "deploy", "web", "-o", "json").path("spec").path("replicas").asInt())
        .as("owned by autoscaler now: kubectl dropping it does not remove it").isEqualTo(5);
  }

  /** Namespace {@code ns} and the web Deployment in it (2 replicas), with {@code kubectl create}. */
  void createDeployment(String ns) throws Exception {
    namespace(ns);
    TestApiServer.Run created = server().kubectlWithInput(ssaManifest("app: web", 2).replace("namespace: ssa", "namespace: " + ns),
        "create", "-f", "-");
    assertThat(created.code()).as("%s", created).isZero();
  }

  /** The managedFields entry of {@code manager} with {@code operation}, or null. */
  static JsonNode entry(JsonNode object, String manager, String operation) {
    for (JsonNode e : object.path("metadata").path("managedFields")) {
      if (e.path("manager").asText().equals(manager) && e.path("operation").asText().equals(operation)) {
        return e;
      }
    }
    return null;
  }

  /**
   * Writes that are not applies record Update managers, as upstream: kubectl create owns what it
   * set, an apply that changes one of those fields conflicts with it, the same value is shared,
   * kubectl label adds its own entry, a forced apply takes the field over. A client that names no
   * manager on an object that has none leaves it without managedFields.
   */
  @Test
  void updatesRecordTheirManagersAndAppliesConflictWithThem() throws Exception {
    createDeployment("upd");
    JsonNode d = json("get", "-n", "upd", "deploy", "web", "-o", "json", "--show-managed-fields");
    JsonNode byCreate = entry(d, "kubectl-create", "Update");
    assertThat(byCreate).as(d.path("metadata").toString()).isNotNull();
    assertThat(byCreate.path("fieldsV1").path("f:spec").has("f:replicas")).isTrue();
    assertThat(byCreate.path("apiVersion").asText()).isEqualTo("apps/v1");

    String manifest = ssaManifest("app: web", 3).replace("namespace: ssa", "namespace: upd");
    TestApiServer.Run clash = server().kubectlWithInput(manifest, "apply", "--server-side", "-f", "-");
    assertThat(clash.code()).isNotZero();
    assertThat(clash.err()).contains("conflict with \"kubectl-create\"", ".spec.replicas");
    assertThat(json("get", "-n", "upd", "deploy", "web", "-o", "json").path("spec").path("replicas").asInt()).isEqualTo(2);

    TestApiServer.Run same = server().kubectlWithInput(manifest.replace("replicas: 3", "replicas: 2"), "apply", "--server-side", "-f", "-");
    assertThat(same.code()).as("%s", same).isZero();
    d = json("get", "-n", "upd", "deploy", "web", "-o", "json", "--show-managed-fields");
    assertThat(entry(d, "kubectl-create", "Update").path("fieldsV1").path("f:spec").has("f:replicas")).as("shared").isTrue();
    assertThat(entry(d, "kubectl", "Apply").path("fieldsV1").path("f:spec").has("f:replicas")).as("shared").isTrue();

    ok("label", "-n", "upd", "deploy", "web", "owner=upd");
    d = json("get", "-n", "upd", "deploy", "web", "-o", "json", "--show-managed-fields");
    JsonNode byLabel = entry(d, "kubectl-label", "Update");
    assertThat(byLabel).as(d.path("metadata").toString()).isNotNull();
    assertThat(byLabel.path("fieldsV1").path("f:metadata").path("f:labels").has("f:owner")).isTrue();

    TestApiServer.Run forced = server().kubectlWithInput(manifest, "apply", "--server-side", "--force-conflicts", "-f", "-");
    assertThat(forced.code()).as("%s", forced).isZero();
    d = json("get", "-n", "upd", "deploy", "web", "-o", "json", "--show-managed-fields");
    assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(entry(d, "kubectl-create", "Update").path("fieldsV1").path("f:spec").has("f:replicas")).as("taken over").isFalse();

    // A client naming no manager (kplane's own, as the controllers use it) on an object without managedFields.
    io.kplane.client.KubeClient c = io.kplane.client.KubeClient.fromKubeconfig(server().kubeconfig);
    c.create(io.kplane.client.ApiResource.SERVICES, io.kplane.model.Json.read(service("plain", "upd"), io.kplane.model.Service.class));
    assertThat(json("get", "-n", "upd", "svc", "plain", "-o", "json", "--show-managed-fields").path("metadata").has("managedFields"))
        .isFalse();
    ok("label", "-n", "upd", "svc", "plain", "owner=upd");
    assertThat(entry(json("get", "-n", "upd", "svc", "plain", "-o", "json", "--show-managed-fields"), "kubectl-label", "Update"))
        .isNotNull();
  }

  /**
   * kubectl apply --server-side --subresource=status: only the status changes, the manager's entry
   * names the subresource, and another manager's different value is a conflict naming it.
   */
  @Test
  void serverSideApplyToTheStatusSubresource() throws Exception {
    createDeployment("sts");
    String status = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: sts}
        spec: {replicas: 9}
        status: {replicas: 2, readyReplicas: %d}
        """;
    TestApiServer.Run applied = server().kubectlWithInput(status.formatted(1), "apply", "--server-side", "--subresource=status",
        "--field-manager=prober", "-f", "-");
    assertThat(applied.code()).as("%s", applied).isZero();
    JsonNode d = json("get", "-n", "sts", "deploy", "web", "-o", "json", "--show-managed-fields");
    assertThat(d.path("status").path("readyReplicas").asInt()).isEqualTo(1);
    assertThat(d.path("spec").path("replicas").asInt()).as("only status is applied through /status").isEqualTo(2);
    JsonNode byProber = entry(d, "prober", "Apply");
    assertThat(byProber).as(d.path("metadata").toString()).isNotNull();
    assertThat(byProber.path("subresource").asText()).isEqualTo("status");
    assertThat(byProber.path("fieldsV1").path("f:status").has("f:readyReplicas")).isTrue();
    assertThat(byProber.path("fieldsV1").has("f:spec")).isFalse();

    TestApiServer.Run clash = server().kubectlWithInput(status.formatted(2), "apply", "--server-side", "--subresource=status",
        "--field-manager=other", "-f", "-");
    assertThat(clash.code()).isNotZero();
    assertThat(clash.err()).contains("conflict with \"prober\" with subresource \"status\"", ".status.readyReplicas");
    TestApiServer.Run missing = server().kubectlWithInput(status.formatted(1).replace("name: web", "name: nosuch"), "apply",
        "--server-side", "--subresource=status", "--field-manager=prober", "-f", "-");
    assertThat(missing.code()).isNotZero();
    assertThat(missing.err()).contains("not found");
  }

  /**
   * Every field of {@code expected} is in {@code actual} with the same value (the server adds
   * defaults and metadata; nulls and empty objects of the client's rendering stand for "unset").
   */
  static void assertContains(JsonNode actual, JsonNode expected, String path) {
    if (expected.isNull() || expected.isObject() && expected.isEmpty()) {
      return;
    }
    if (expected.isObject()) {
      expected.fields().forEachRemaining(e -> assertContains(actual.path(e.getKey()), e.getValue(), path + "." + e.getKey()));
    } else if (expected.isArray()) {
      assertThat(actual.size()).as(path).isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertContains(actual.get(i), expected.get(i), path + "[" + i + "]");
      }
    } else {
      assertThat(actual).as(path).isEqualTo(expected);
    }
  }

  @Test
  void discoveryAndVersion() throws Exception {
    String resources = ok("api-resources").out();
    assertThat(resources).contains("deployments", "deploy", "apps/v1", "Deployment", "endpointslices", "discovery.k8s.io/v1",
        "leases", "coordination.k8s.io/v1", "priorityclasses", "scheduling.k8s.io/v1", "pods", "po");
    assertThat(ok("version").out()).contains("Server Version: v1.32.0");
    assertThat(ok("api-versions").out()).contains("apps/v1", "v1", "coordination.k8s.io/v1");
  }
}
