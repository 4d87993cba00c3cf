package io.kplane.client;

/**
 * Notifications from an {@link Informer}, delivered in order on the informer's one dispatch
 * thread. Handlers should be quick (typically: put a key on a {@link WorkQueue}). A resync
 * delivers {@link #onUpdate} with the same object twice.
 */
public interface EventHandler<T> {
    default void onAdd(T object) {
    }

    default void onUpdate(T oldObject, T newObject) {
    }

    /** The last state known; after a relist it may be older than the actual deletion. */
    default void onDelete(T object) {
    }

    /** A handler that calls {@code action} for every add, update and delete with the newest object. */
    static <T> EventHandler<T> onAny(java.util.function.Consumer<T> action) {
        return new EventHandler<>() {
            @Override
            public void onAdd(T object) {
                action.accept(object);
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                action.accept(newObject);
            }

            @Override
            public void onDelete(T object) {
                action.accept(object);
            }
        };
    }
}
