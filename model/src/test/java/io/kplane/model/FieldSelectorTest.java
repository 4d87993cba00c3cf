package io.kplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSelectorTest {

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '#', value = {
      "# true",
      "spec.nodeName=node-1 # true",
      "spec.nodeName==node-1 # true",
      "spec.nodeName!=node-1 # false",
      "spec.nodeName=node-2 # false",
      "status.phase=Running,spec.nodeName=node-1 # true",
      "status.phase!=Pending,metadata.name=p # true",
      "status.phase!=Running,metadata.name=p # false",
      "status.nominatedNodeName= # true",
      "metadata.namespace=shop # true",
  })
  void matchesPods(String selector, boolean expected) {
    Pod pod = Pod.of(ObjectMeta.of("shop", "p"), PodSpec.of(List.of()).withNodeName("node-1"))
        .withStatus(PodStatus.EMPTY.withPhase("Running"));
    assertThat(FieldSelector.parse(selector == null ? "" : selector).matches(pod)).isEqualTo(expected);
  }

  @Test
  void escapesAndErrors() {
    FieldSelector s = FieldSelector.parse("metadata.name=a\\,b\\=c\\\\d");
    assertThat(s.terms()).containsExactly(new FieldSelector.Term("metadata.name", true, "a,b=c\\d"));
    assertThat(s.toString()).isEqualTo("metadata.name=a\\,b\\=c\\\\d");
    assertThat(FieldSelector.parse(s.toString()).terms()).isEqualTo(s.terms());
    assertThat(FieldSelector.parse("spec.nodeName=n1,status.phase!=Failed").requiredValue("spec.nodeName")).isEqualTo("n1");
    assertThatThrownBy(() -> FieldSelector.parse("spec.nodeName")).hasMessage("invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'");
    assertThatThrownBy(() -> FieldSelector.parse("a=b\\x")).hasMessageContaining("invalid escape sequence");
    assertThatThrownBy(() -> FieldSelector.parse("a=b=c")).hasMessageContaining("unescaped '='");
    assertThatThrownBy(() -> FieldSelector.parse("=b")).hasMessageContaining("field name missing");
  }

  @Test
  void fieldsPerKind() {
    Node node = Node.of(ObjectMeta.of(null, "n1"), new NodeSpec(null, null, null, true, null, null), null);
    assertThat(FieldSelector.fieldsOf(node)).containsEntry("spec.unschedulable", "true").containsEntry("metadata.name", "n1");
    Event e = new Event(null, null, ObjectMeta.of("ns", "e"), new ObjectReference("Pod", "ns", "p", "u", "v1", null, null, null),
        "Scheduled", "ok", new EventSource("default-scheduler", null, null), null, null, 1, "Normal", null, null, null, null, null);
    assertThat(FieldSelector.parse("involvedObject.name=p,reason=Scheduled,type=Normal,source=default-scheduler").matches(e)).isTrue();
    assertThat(FieldSelector.fieldsOf(Pod.of(ObjectMeta.of("a", "b"), null))).containsEntry("spec.nodeName", "").containsEntry("status.phase", "");
  }

  @Test
  void labelSelectorStringFormIsCanonical() {
    Selector s = Selector.parse("z in (b,a), a=1, !m, k, n notin (x), g>3, h!=2");
    assertThat(s.toString()).isEqualTo("a=1,g>3,h!=2,k,!m,n!=x,z in (a,b)");
    assertThat(Selector.parse(s.toString()).toString()).isEqualTo(s.toString());
    assertThat(LabelSelector.of(Map.of("app", "web"), List.of(LabelSelectorRequirement.of("tier", "In", "x", "y"))).toSelector().toString())
        .isEqualTo("app=web,tier in (x,y)");
    assertThat(Selector.everything().toString()).isEmpty();
  }
}
