/**
 * The Kubernetes API server: the only component that talks to the store.
 *
 * <h2>Layers</h2>
 * <ul>
 *   <li>{@link io.kplane.apiserver.Storage} — the contract with the key-value store (etcd v3
 *       semantics: revisions, compare-and-swap on modRevision, prefix ranges with paging, watches
 *       from a revision, compaction). {@link io.kplane.apiserver.EmbeddedStorage} runs a
 *       {@code kv.MvccStore} in-process (memory only); {@link io.kplane.apiserver.EtcdStorage}
 *       talks to any etcd v3 endpoint through jetcd (real etcd 3.4 or a kplane store cluster).
 *       Keys follow Kubernetes' layout: {@code /registry/pods/NS/NAME},
 *       {@code /registry/services/specs/NS/NAME}, {@code /registry/minions/NAME}, …</li>
 *   <li>{@link io.kplane.apiserver.Registry} — REST semantics over JSON trees (fields this server
 *       does not model survive): create with generateName/uid/timestamps/defaulting
 *       ({@code Defaults}), validation ({@code Validation}, 422 with field causes) and the
 *       DefaultTolerationSeconds admission ({@link io.kplane.apiserver.DefaultTolerationSeconds}:
 *       new pods get 300 s not-ready/unreachable tolerations), get, list
 *       with label/field selectors, limit/continue (upstream's token format) and resourceVersion
 *       semantics, update with optimistic concurrency (409), patch (JSON merge, JSON patch,
 *       strategic merge for the built-in lists), delete with grace periods (pods on a node),
 *       finalizers, deletionTimestamp and propagation policies (the {@code orphan} and
 *       {@code foregroundDeletion} finalizers are set as upstream does; removing them is the
 *       garbage collector's job), deletecollection, the status/scale/binding/eviction
 *       subresources.</li>
 *   <li>{@link io.kplane.apiserver.WatchSource} — where watch events come from.
 *       {@link io.kplane.apiserver.StoreWatchSource} opens one store watch per request; a watch
 *       cache implements the same interface and is plugged in with
 *       {@link io.kplane.apiserver.ApiServer.Config#withWatchSource}.</li>
 *   <li>{@link io.kplane.apiserver.ApiServer} / {@code HttpProtocols} / {@code HttpApi} /
 *       {@code WatchStream} — Netty HTTP/1.1 and HTTP/2 (h2 by ALPN over TLS, as kubectl
 *       negotiates it; prior knowledge in plaintext), TLS with the generated PKI of
 *       {@link io.kplane.apiserver.ServingCerts},
 *       authentication ({@link io.kplane.apiserver.Authenticator}: bearer tokens, client
 *       certificates, anonymous only when enabled), max requests in flight (read-only and
 *       mutating separately; 429 with Retry-After), discovery, server-side Table output,
 *       {@code /openapi/v2} and {@code /openapi/v3} (operations tagged with their
 *       group-version-kind and the {@code fieldValidation} parameter), {@code /metrics}
 *       ({@link io.kplane.apiserver.Metrics}, kube-apiserver's metric names), watch streams
 *       (HTTP/1.1 chunks or HTTP/2 streams) with bookmarks, {@code sendInitialEvents}, {@code timeoutSeconds} and 410.</li>
 * </ul>
 *
 * <h2>Request bodies</h2>
 * JSON, YAML and Kubernetes protobuf ({@code application/vnd.kubernetes.protobuf}, which kubectl's
 * typed commands such as {@code kubectl create namespace|deployment|service} send).
 * {@link io.kplane.apiserver.ProtobufDecoder} reads the {@code k8s\0} envelope and the typed
 * message with the field table {@code protobuf-schema.txt} (the upstream generated.proto field
 * numbers of the served kinds and of Scale, Eviction, Binding and DeleteOptions) and turns it into
 * the JSON Go would write: omitempty zeros dropped, pointer zeros kept, Time/MicroTime/Quantity/
 * IntOrString/RawExtension in their JSON forms, embedded structs inlined. Unknown field numbers
 * are dropped (as upstream's decoder does) and reported in a {@code Warning} header. Answers are
 * JSON.
 *
 * <h2>Lists from the watch cache</h2>
 * With the watch cache plugged in ({@link io.kplane.apiserver.CachedWatchSource}), lists are
 * answered by {@link io.kplane.apiserver.CachedList} (KEP-2340): without a resourceVersion the
 * store's current revision is read and the cache waits (asking the store's watch for a progress
 * notification, {@code Storage.Watch#requestProgress}) until it has seen it, falling back to the
 * store after 3 s; {@code resourceVersion=0} answers from the cache at once; NotOlderThan waits
 * (504 after 3 s); Exact and continue pages read the store, and a first page's continue token
 * carries the cache's revision so the following pages come from the store at that same revision.
 *
 * <h2>Server-side apply</h2>
 * {@code PATCH application/apply-patch+yaml?fieldManager=M[&force=true]}
 * ({@code kubectl apply --server-side}) is {@link io.kplane.apiserver.ServerSideApply}: the
 * configuration is merged into the live object (created when missing), its fields are recorded as
 * M's in {@code metadata.managedFields} (FieldsV1), fields M applied before and no longer applies
 * are removed unless co-owned, and a field another manager owns with a different value is a 409
 * Conflict with {@code FieldManagerConflict} causes unless {@code force=true}. Creates, updates and
 * the other patch types record Update managers ({@code ?fieldManager=}, else the User-Agent's
 * product: {@code kubectl create} is {@code kubectl-create}), owning what they set or changed, so an
 * apply conflicts with them as upstream ({@link io.kplane.apiserver.ManagedFields}). Unlike upstream,
 * a write that names no manager records nothing on an object that has no managedFields yet (the
 * controllers' writes keep their objects lean), and managedFields sent by a client are ignored:
 * ownership follows the stored entries. An apply to {@code /status} changes only the status and
 * records its manager with {@code subresource: status}.
 *
 * <h2>fieldValidation</h2>
 * Writes with a JSON/YAML body ({@code POST}, {@code PUT}, merge and strategic merge
 * {@code PATCH}) are checked by {@link io.kplane.apiserver.FieldValidation} against the JSON
 * field names of the kind (from the same field table): {@code Strict} answers 400 BadRequest
 * listing every {@code unknown field "path"} and {@code duplicate field "path"}; {@code Warn}
 * (the default) sends them as {@code Warning} headers; {@code Ignore} skips the check. kubectl
 * 1.32 sends {@code fieldValidation=Strict} on create/apply/replace ({@code --validate=warn|false}
 * give Warn/Ignore).
 *
 * <h2>Service cluster IPs and dual-stack</h2>
 * {@code --service-cluster-ip-range} takes one CIDR (default {@code 10.96.0.0/12}) or two of
 * different IP families, primary first ({@code 10.96.0.0/12,fd00:10:96::/108}: a dual-stack
 * cluster). {@link io.kplane.apiserver.ServiceAllocator} applies upstream's rules: no
 * {@code ipFamilyPolicy} means SingleStack unless two IPs or families were asked for
 * (RequireDualStack then); PreferDualStack gets both families on a dual-stack server and one on a
 * single-stack one; RequireDualStack on a single-stack server, a family the server has no range
 * for, client-chosen IPs outside the range or already taken, IPs that contradict
 * {@code ipFamilies} are 422 with upstream's messages; {@code clusterIP == clusterIPs[0]};
 * the primary IP and family may not change on update, a secondary may be added (policy set to
 * Prefer/RequireDualStack) or dropped (set to SingleStack). IPs in use are read from the stored
 * Services, so a delete or a downgrade frees them at once ({@code ServiceDualStackTest},
 * {@code ServiceCidrTest}).
 *
 * <h2>Running it</h2>
 * <pre>
 * ./kplane apiserver --store embedded --listen 127.0.0.1:6443 --kubeconfig /tmp/kplane.kubeconfig
 * ./kplane apiserver --store etcd=http://127.0.0.1:2379 --listen 127.0.0.1:6443 --kubeconfig /tmp/kplane.kubeconfig
 * kubectl --kubeconfig /tmp/kplane.kubeconfig apply -f app.yaml
 * </pre>
 * The kubeconfig carries the generated CA and an admin bearer token; the PKI (CA, serving and
 * admin client certificates) is kept next to it in {@code FILE.pki/} and reused on restart.
 *
 * <h2>Not done</h2>
 * CBOR request bodies are answered 415; protobuf responses are not encoded (a request whose
 * Accept admits no JSON gets 406; kubectl always admits JSON); server-side apply is accepted on the main resource and on {@code status}
 * ({@code kubectl apply --server-side --subresource=status}), not on {@code scale}; a namespace's content is deleted inline when the
 * namespace is deleted (no namespace controller; objects with finalizers stay); the service IP
 * allocator is per process (no allocation bitmap or ServiceCIDR/IPAddress objects in storage);
 * a selectorless headless Service is not defaulted to both families as upstream does.
 */
package io.kplane.apiserver;
