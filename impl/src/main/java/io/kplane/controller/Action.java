package io.kplane.controller;

import io.kplane.client.ApiResource;
import io.kplane.client.DeleteOptions;
import io.kplane.model.KubeObject;

/**
 * A write that a reconcile step asks its runtime shell to perform. Reconcile cores return these
 * instead of calling the API server, so they can be tested (and compared) as plain values.
 */
public sealed interface Action {

    /** POST the object (a {@code generateName} is resolved by the server). */
    record Create<T extends KubeObject>(ApiResource<T> resource, T object) implements Action {
    }

    /** PUT the object, conditioned on its resourceVersion. */
    record Update<T extends KubeObject>(ApiResource<T> resource, T object) implements Action {
    }

    /** PUT the object's status subresource, conditioned on its resourceVersion. */
    record UpdateStatus<T extends KubeObject>(ApiResource<T> resource, T object) implements Action {
    }

    /** DELETE an object (with a uid precondition when the options carry one). */
    record Delete<T extends KubeObject>(ApiResource<T> resource, String namespace, String name,
                                        DeleteOptions options) implements Action {
        /** Deletes exactly this object: preconditioned on its uid, default propagation. */
        public static <T extends KubeObject> Delete<T> of(ApiResource<T> resource, T object) {
            return new Delete<>(resource, object.namespace(), object.name(),
                    DeleteOptions.preconditionUid(object.metadata().uid()));
        }
    }
}
