package io.kplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Structural rules every API record must follow for the JSON shape to be right. */
class RecordShapeTest {

  /** Records that are values or envelopes, not JSON objects users extend (nested records are helpers, not API types). */
  private static final Set<Class<?>> NOT_EXTENSIBLE = Set.of(IntOrString.class, WatchEvent.class);

  static List<Class<?>> modelRecords() throws URISyntaxException, ClassNotFoundException {
    File dir = new File(Pod.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    File pkg = new File(dir, "io/kplane/model");
    List<Class<?>> out = new ArrayList<>();
    for (String f : pkg.list()) {
      if (f.endsWith(".class")) {
        Class<?> c = Class.forName("io.kplane.model." + f.substring(0, f.length() - 6));
        if (c.isRecord() && Modifier.isPublic(c.getModifiers()) && c.getEnclosingClass() == null && !NOT_EXTENSIBLE.contains(c)) {
          out.add(c);
        }
      }
    }
    return out;
  }

  @Test
  void everyRecordKeepsUnknownFields() throws Exception {
    List<Class<?>> records = modelRecords();
    assertThat(records).hasSizeGreaterThan(60);
    for (Class<?> c : records) {
      RecordComponent[] comps = c.getRecordComponents();
      assertThat(comps[comps.length - 1].getName()).as(c.getSimpleName() + " ends with the extra map").isEqualTo("extra");
    }
  }

  @Test
  void noHelperLooksLikeABeanGetter() throws Exception {
    // Jackson would serialize isX()/getX() helpers as extra JSON properties.
    for (Class<?> c : modelRecords()) {
      Set<String> components = Arrays.stream(c.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toSet());
      for (Method m : c.getDeclaredMethods()) {
        boolean getterLike = m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers())
            && (m.getName().matches("is[A-Z].*") || m.getName().matches("get[A-Z].*"));
        if (getterLike && !components.contains(m.getName())) {
          throw new AssertionError(c.getSimpleName() + "." + m.getName() + "() would be serialized as a property");
        }
      }
    }
  }
}
