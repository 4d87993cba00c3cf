package io.kplane.kv.jcstress;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.PutRequest;
import io.kplane.fanout.EventLog;
import io.kplane.fanout.OverrunException;
import io.kplane.kv.MvccStore;
import io.kplane.kv.RevisionEvents;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * {@link MvccStore#subscribe()} from a reader thread while the writer commits revision 2: the
 * subscription's revision and its cursor must leave no gap. After both are done, the cursor's
 * next element is the revision right after the subscription's (1 then 2), or nothing when the
 * subscription already counts revision 2. A subscription at revision 1 whose cursor is already
 * past revision 2 would make a watch created at it wait for revision 2 until some later write:
 * that is what taking {@code publishedRevision()} next to {@code newCursor()} gave, because the
 * writer appends before it publishes.
 *
 * <p>r1 = the subscription's revision, r2 = the revision its cursor polls next (-1: none).
 */
@JCStressTest
@Outcome(id = "1, 2", expect = Expect.ACCEPTABLE, desc = "subscribed before the write: the cursor reads it")
@Outcome(id = "2, -1", expect = Expect.ACCEPTABLE, desc = "subscribed after the write")
@Outcome(id = "2, 2", expect = Expect.ACCEPTABLE_INTERESTING, desc = "raced: revision counted and polled again (skipped by readers)")
@Outcome(id = "1, -1", expect = Expect.FORBIDDEN, desc = "gap: revision 2 is neither counted nor ahead of the cursor")
@Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
@State
public class SubscribeStress {
    private static final PutRequest PUT = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
            .setValue(ByteString.copyFromUtf8("v")).build();

    private final MvccStore store = new MvccStore(new EventLog<>(4), 2);
    private MvccStore.Subscription subscription;

    @Actor
    public void writer() {
        store.put(PUT);
    }

    @Actor
    public void reader() {
        subscription = store.subscribe();
    }

    @Arbiter
    public void check(JJ_Result r) {
        r.r1 = subscription.lastRevision();
        try {
            RevisionEvents next = subscription.cursor().poll();
            r.r2 = next == null ? -1 : next.revision();
        } catch (OverrunException e) {
            r.r2 = -2;
        }
    }
}
