package io.kplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Realistic manifests survive read → write unchanged (apart from Kubernetes' own normalisation). */
class JsonRoundTripTest {

  static String fixture(String name) {
    try (InputStream in = JsonRoundTripTest.class.getResourceAsStream("/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The input as a tree, with explicit nulls dropped (Kubernetes omits them too). */
  static JsonNode inputTree(String text) {
    try {
      ObjectNode tree = (ObjectNode) (text.trim().startsWith("{") ? Json.jsonMapper() : Json.yamlMapper()).readTree(text);
      dropNulls(tree);
      return Json.jsonMapper().readTree(Json.jsonMapper().writeValueAsString(tree));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void dropNulls(JsonNode node) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNull()) {
          it.remove();
        } else {
          dropNulls(e.getValue());
        }
      }
    } else if (node.isArray()) {
      node.forEach(JsonRoundTripTest::dropNulls);
    }
  }

  static JsonNode outputTree(Object value) {
    try {
      return Json.jsonMapper().readTree(Json.write(value));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest(name = "{0} round-trips through {1}")
  @CsvSource({
      "deployment.yaml, io.kplane.model.Deployment",
      "service.yaml, io.kplane.model.Service",
      "endpointslice.yaml, io.kplane.model.EndpointSlice",
      "node.json, io.kplane.model.Node",
      "pod.yaml, io.kplane.model.Pod",
  })
  void fixtureRoundTripsUnchanged(String file, Class<?> type) {
    String text = fixture(file);
    Object object = Json.read(text, type);
    assertThat(outputTree(object)).isEqualTo(inputTree(text));
    // and through YAML as well
    Object again = Json.read(Json.writeYaml(object), type);
    assertThat(again).isEqualTo(object);
  }

  @ParameterizedTest(name = "{0} is typed by its kind")
  @CsvSource({
      "deployment.yaml, io.kplane.model.Deployment",
      "service.yaml, io.kplane.model.Service",
      "endpointslice.yaml, io.kplane.model.EndpointSlice",
      "node.json, io.kplane.model.Node",
      "pod.yaml, io.kplane.model.Pod",
  })
  void readObjectDispatchesOnKind(String file, Class<?> type) {
    assertThat(Json.readObject(fixture(file))).isInstanceOf(type);
  }
}
