package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Kubernetes protobuf bodies, written here field by field, decode to the JSON kubectl's Go types would produce. */
class ProtobufDecoderTest {

  /** A minimal protobuf writer: fields in the order given. */
  static final class Pb {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pb varint(int field, long v) {
      tag(field, 0);
      raw(v);
      return this;
    }

    Pb str(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Pb msg(int field, Pb m) {
      return bytes(field, m.toBytes());
    }

    Pb bytes(int field, byte[] b) {
      tag(field, 2);
      raw(b.length);
      out.writeBytes(b);
      return this;
    }

    Pb entry(int field, String key, String value) {
      return msg(field, new Pb().str(1, key).str(2, value));
    }

    private void tag(int field, int wire) {
      raw((long) field << 3 | wire);
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) (v & 0x7F) | 0x80);
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] toBytes() {
      return out.toByteArray();
    }

    /** The Kubernetes envelope: magic, then runtime.Unknown{typeMeta, raw}. */
    byte[] envelope(String apiVersion, String kind) {
      byte[] unknown = new Pb().msg(1, new Pb().str(1, apiVersion).str(2, kind)).bytes(2, toBytes()).toBytes();
      byte[] all = new byte[4 + unknown.length];
      all[0] = 'k';
      all[1] = '8';
      all[2] = 's';
      all[3] = 0;
      System.arraycopy(unknown, 0, all, 4, unknown.length);
      return all;
    }
  }

  @Test
  void deploymentKeepsPointerZerosDropsOmitemptyZerosAndConvertsSpecialTypes() {
    Pb container = new Pb().str(1, "app").str(2, "nginx:1.25").str(5, "")
        .msg(8, new Pb().msg(1, new Pb().str(1, "cpu").msg(2, new Pb().str(1, "500m"))))
        .msg(7, new Pb().str(1, "PASSWORD").msg(3, new Pb().msg(4, new Pb().msg(1, new Pb().str(1, "creds")).str(2, "pw"))));
    Pb spec = new Pb().varint(1, 0) // replicas: a pointer, explicit zero
        .msg(2, new Pb().entry(1, "app", "web"))
        .msg(3, new Pb().msg(1, new Pb().entry(11, "app", "web").msg(8, new Pb())).msg(2, new Pb().msg(2, container)))
        .msg(4, new Pb().str(1, "RollingUpdate").msg(2, new Pb().msg(1, new Pb().varint(1, 1).str(3, "25%"))
            .msg(2, new Pb().varint(1, 0).varint(2, 0))))
        .varint(5, 0) // minReadySeconds: not a pointer, zero is omitted
        .varint(7, 0);
    Pb meta = new Pb().str(1, "web").str(3, "prod").entry(11, "app", "web").msg(8, new Pb());
    byte[] body = new Pb().msg(1, meta).msg(2, spec).msg(3, new Pb()).envelope("apps/v1", "Deployment");

    ProtobufDecoder.Decoded d = ProtobufDecoder.decode(body);
    JsonNode o = d.object();
    assertThat(d.warnings()).isEmpty();
    assertThat(o.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(o.path("kind").asText()).isEqualTo("Deployment");
    assertThat(o.path("metadata").path("name").asText()).isEqualTo("web");
    assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("prod");
    assertThat(o.path("metadata").has("creationTimestamp")).as("zero Time is unset").isFalse();
    assertThat(o.path("metadata").path("labels").path("app").asText()).isEqualTo("web");
    JsonNode s = o.path("spec");
    assertThat(s.path("replicas").isInt()).isTrue();
    assertThat(s.path("replicas").asInt()).isZero();
    assertThat(s.has("minReadySeconds")).isFalse();
    assertThat(s.has("paused")).isFalse();
    assertThat(s.path("strategy").path("rollingUpdate").path("maxUnavailable").asText()).isEqualTo("25%");
    assertThat(s.path("strategy").path("rollingUpdate").path("maxSurge").isInt()).as("a pointer IntOrString keeps 0").isTrue();
    JsonNode c = s.path("template").path("spec").path("containers").get(0);
    assertThat(c.path("name").asText()).isEqualTo("app");
    assertThat(c.has("workingDir")).isFalse();
    assertThat(c.path("resources").path("limits").path("cpu").asText()).isEqualTo("500m");
    // SecretKeySelector embeds LocalObjectReference: its name is inlined
    JsonNode ref = c.path("env").get(0).path("valueFrom").path("secretKeyRef");
    assertThat(ref.path("name").asText()).isEqualTo("creds");
    assertThat(ref.path("key").asText()).isEqualTo("pw");
    assertThat(o.path("status").isObject()).isTrue();
  }

  @Test
  void leaseTimesAreRfc3339WithMicroseconds() {
    Pb spec = new Pb().str(1, "node-a").varint(2, 40)
        .msg(4, new Pb().varint(1, 1_700_000_000L).varint(2, 123_456_000));
    byte[] body = new Pb().msg(1, new Pb().str(1, "node-a").str(3, "kube-node-lease")).msg(2, spec)
        .envelope("coordination.k8s.io/v1", "Lease");
    JsonNode o = ProtobufDecoder.decode(body).object();
    assertThat(o.path("spec").path("renewTime").asText()).isEqualTo("2023-11-14T22:13:20.123456Z");
    assertThat(o.path("spec").path("leaseDurationSeconds").asInt()).isEqualTo(40);
    assertThat(o.path("spec").path("holderIdentity").asText()).isEqualTo("node-a");
  }

  @Test
  void anUnknownFieldIsSkippedWithAWarning() {
    byte[] body = new Pb().msg(1, new Pb().str(1, "n1").str(99, "future")).msg(2, new Pb().str(1, "10.0.0.0/24"))
        .varint(42, 7).envelope("v1", "Node");
    ProtobufDecoder.Decoded d = ProtobufDecoder.decode(body);
    assertThat(d.object().path("metadata").path("name").asText()).isEqualTo("n1");
    assertThat(d.object().path("spec").path("podCIDR").asText()).isEqualTo("10.0.0.0/24");
    assertThat(d.warnings()).containsExactly(
        "unknown field 99 of protobuf message ObjectMeta at metadata was dropped",
        "unknown field 42 of protobuf message Node was dropped");
  }

  @Test
  void malformedBodiesAreBadRequestsAndUnknownKindsUnsupported() {
    assertThatThrownBy(() -> ProtobufDecoder.decode("{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
    byte[] good = new Pb().msg(1, new Pb().str(1, "ns1")).envelope("v1", "Namespace");
    for (int cut = 5; cut < good.length; cut++) {
      byte[] truncated = Arrays.copyOf(good, cut);
      assertThatThrownBy(() -> ProtobufDecoder.decode(truncated)).as("cut at %d", cut)
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
    }
    byte[] lengthTooLong = new Pb().msg(1, new Pb().str(1, "ns1")).envelope("v1", "Namespace");
    lengthTooLong[lengthTooLong.length - 4] = 0x7f; // the name's length byte
    assertThatThrownBy(() -> ProtobufDecoder.decode(lengthTooLong))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
    assertThatThrownBy(() -> ProtobufDecoder.decode(new Pb().msg(1, new Pb()).envelope("v1", "ConfigMap")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(415));
  }
}
