package io.kplane.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Query parameters of a list or watch. {@code null} fields are left out.
 *
 * @param labelSelector       e.g. {@code app=web,tier!=db}
 * @param fieldSelector       e.g. {@code spec.nodeName=n1}
 * @param resourceVersion     list: "0" serves from the cache; watch: the version to start after
 * @param limit               page size of a list (0: no paging)
 * @param continueToken       the token of the previous page
 * @param timeoutSeconds      the server closes a watch after this long
 * @param allowWatchBookmarks ask for BOOKMARK events that carry only a resourceVersion
 */
public record ListOptions(String labelSelector, String fieldSelector, String resourceVersion, long limit,
                          String continueToken, Integer timeoutSeconds, boolean allowWatchBookmarks) {

    public static final ListOptions NONE = new ListOptions(null, null, null, 0, null, null, false);

    public static ListOptions labelSelector(String selector) {
        return NONE.withLabelSelector(selector);
    }

    public static ListOptions fieldSelector(String selector) {
        return NONE.withFieldSelector(selector);
    }

    public ListOptions withLabelSelector(String s) {
        return new ListOptions(s, fieldSelector, resourceVersion, limit, continueToken, timeoutSeconds, allowWatchBookmarks);
    }

    public ListOptions withFieldSelector(String s) {
        return new ListOptions(labelSelector, s, resourceVersion, limit, continueToken, timeoutSeconds, allowWatchBookmarks);
    }

    public ListOptions withResourceVersion(String rv) {
        return new ListOptions(labelSelector, fieldSelector, rv, limit, continueToken, timeoutSeconds, allowWatchBookmarks);
    }

    public ListOptions withLimit(long l) {
        return new ListOptions(labelSelector, fieldSelector, resourceVersion, l, continueToken, timeoutSeconds, allowWatchBookmarks);
    }

    public ListOptions withContinue(String c) {
        return new ListOptions(labelSelector, fieldSelector, resourceVersion, limit, c, timeoutSeconds, allowWatchBookmarks);
    }

    public ListOptions withTimeoutSeconds(Integer t) {
        return new ListOptions(labelSelector, fieldSelector, resourceVersion, limit, continueToken, t, allowWatchBookmarks);
    }

    public ListOptions withBookmarks(boolean b) {
        return new ListOptions(labelSelector, fieldSelector, resourceVersion, limit, continueToken, timeoutSeconds, b);
    }

    /** The query string, without the leading '?', for a list ({@code watch=false}) or a watch. */
    public String query(boolean watch) {
        StringBuilder q = new StringBuilder();
        if (watch) {
            param(q, "watch", "true");
        }
        param(q, "labelSelector", labelSelector);
        param(q, "fieldSelector", fieldSelector);
        param(q, "resourceVersion", resourceVersion);
        if (!watch && limit > 0) {
            param(q, "limit", Long.toString(limit));
        }
        if (!watch) {
            param(q, "continue", continueToken);
        }
        if (timeoutSeconds != null) {
            param(q, "timeoutSeconds", timeoutSeconds.toString());
        }
        if (watch && allowWatchBookmarks) {
            param(q, "allowWatchBookmarks", "true");
        }
        return q.toString();
    }

    private static void param(StringBuilder q, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (q.length() > 0) {
            q.append('&');
        }
        q.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
