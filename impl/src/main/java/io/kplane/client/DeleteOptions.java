package io.kplane.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a DELETE (meta/v1 DeleteOptions).
 *
 * @param propagationPolicy  Orphan, Background or Foreground; null: the resource's default
 * @param uid                precondition: delete only the object with this uid
 * @param resourceVersion    precondition: delete only at this resourceVersion
 * @param gracePeriodSeconds null: the object's default
 */
public record DeleteOptions(String propagationPolicy, String uid, String resourceVersion, Long gracePeriodSeconds) {

    public static final String ORPHAN = "Orphan";
    public static final String BACKGROUND = "Background";
    public static final String FOREGROUND = "Foreground";

    public static final DeleteOptions DEFAULT = new DeleteOptions(null, null, null, null);

    public static DeleteOptions propagation(String policy) {
        return new DeleteOptions(policy, null, null, null);
    }

    /** Deletes only the object with this uid (a re-created namesake is left alone). */
    public static DeleteOptions preconditionUid(String uid) {
        return new DeleteOptions(null, uid, null, null);
    }

    public DeleteOptions withPropagation(String policy) {
        return new DeleteOptions(policy, uid, resourceVersion, gracePeriodSeconds);
    }

    public DeleteOptions withGracePeriodSeconds(Long seconds) {
        return new DeleteOptions(propagationPolicy, uid, resourceVersion, seconds);
    }

    /** The JSON body as a map (null fields left out). */
    public Map<String, Object> body() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("apiVersion", "v1");
        b.put("kind", "DeleteOptions");
        if (propagationPolicy != null) {
            b.put("propagationPolicy", propagationPolicy);
        }
        if (gracePeriodSeconds != null) {
            b.put("gracePeriodSeconds", gracePeriodSeconds);
        }
        if (uid != null || resourceVersion != null) {
            Map<String, Object> pre = new LinkedHashMap<>();
            if (uid != null) {
                pre.put("uid", uid);
            }
            if (resourceVersion != null) {
                pre.put("resourceVersion", resourceVersion);
            }
            b.put("preconditions", pre);
        }
        return b;
    }
}
