package io.kplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterSpecTest {

    @Test
    void parsesMembersAndDerivesStableDistinctIds() {
        ClusterSpec a = ClusterSpec.parse("n1=127.0.0.1:2380,n2=http://127.0.0.1:2381, n3=127.0.0.1:2382", "tok");
        ClusterSpec b = ClusterSpec.parse("n1=127.0.0.1:2380,n2=127.0.0.1:2381,n3=127.0.0.1:2382", "tok");
        assertThat(a.peers()).extracting(ClusterSpec.Peer::name).containsExactly("n1", "n2", "n3");
        assertThat(a.member("n2").port()).isEqualTo(2381);
        assertThat(a.ids()).doesNotHaveDuplicates().doesNotContain(0L).isEqualTo(b.ids());
        assertThat(a.clusterId()).isEqualTo(b.clusterId()).isNotZero();
        // Order of the spec does not matter for the cluster id; the token does.
        ClusterSpec reordered = ClusterSpec.parse("n3=127.0.0.1:2382,n1=127.0.0.1:2380,n2=127.0.0.1:2381", "tok");
        assertThat(reordered.clusterId()).isEqualTo(a.clusterId());
        assertThat(ClusterSpec.parse("n1=127.0.0.1:2380,n2=127.0.0.1:2381,n3=127.0.0.1:2382", "other").clusterId())
                .isNotEqualTo(a.clusterId());
        // A different membership is a different cluster.
        assertThat(ClusterSpec.parse("n1=127.0.0.1:2380,n2=127.0.0.1:2381", "tok").clusterId()).isNotEqualTo(a.clusterId());
    }

    @Test
    void badSpecsGetClearErrors() {
        assertThatThrownBy(() -> ClusterSpec.parse("", "t")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ClusterSpec.parse("n1", "t")).hasMessageContaining("expected name=host:port");
        assertThatThrownBy(() -> ClusterSpec.parse("n1=127.0.0.1", "t")).hasMessageContaining("missing port");
        assertThatThrownBy(() -> ClusterSpec.parse("n1=127.0.0.1:x", "t")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> ClusterSpec.parse("n1=127.0.0.1:70000", "t")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ClusterSpec.parse("n1=127.0.0.1:1,n1=127.0.0.1:2", "t")).hasMessageContaining("twice");
        assertThatThrownBy(() -> ClusterSpec.parse("n1=127.0.0.1:1,n2=127.0.0.1:1", "t")).hasMessageContaining("twice");
        assertThatThrownBy(() -> ClusterSpec.parse("n1=unix://127.0.0.1:1", "t")).hasMessageContaining("only http:// and https://");
        assertThatThrownBy(() -> ClusterSpec.parse("n1=127.0.0.1:1", "t").member("n9"))
                .hasMessageContaining("not in --initial-cluster");
    }

    @Test
    void httpsPeerUrlsAreKeptAndMakeOtherMembersThanHttp() {
        ClusterSpec tls = ClusterSpec.parse("n1=https://127.0.0.1:2380,n2=https://127.0.0.1:2381/", "tok");
        ClusterSpec plain = ClusterSpec.parse("n1=http://127.0.0.1:2380,n2=http://127.0.0.1:2381", "tok");
        assertThat(tls.member("n2").tls()).isTrue();
        assertThat(tls.member("n2").port()).isEqualTo(2381);
        assertThat(tls.member("n2").peerUrl()).isEqualTo("https://127.0.0.1:2381");
        assertThat(plain.member("n2").peerUrl()).isEqualTo("http://127.0.0.1:2381");
        // As in etcd, the peer URL is part of the member id.
        assertThat(tls.member("n1").id()).isNotEqualTo(plain.member("n1").id());
        assertThat(tls.members().get(0).peerUrls()).containsExactly("https://127.0.0.1:2380");
        // A joining member learns its peers' schemes from the member list.
        ClusterSpec joined = ClusterSpec.joined("tok", 42, tls.members(), tls.member("n1").id(), "n1");
        assertThat(joined.member("n2").tls()).isTrue();
        assertThat(joined.member("n2").peerUrl()).isEqualTo("https://127.0.0.1:2381");
    }
}
