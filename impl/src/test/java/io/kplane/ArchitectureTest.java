package io.kplane;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DESIGN.md §1 as executable rules: each package under {@code io.kplane} may depend only on the
 * packages in its "may use" column — taken transitively, since a package that may use {@code client}
 * necessarily sees {@code client}'s {@code model} types — and nothing depends on {@code cli}, apart
 * from the subcommand SPI {@link io.kplane.cli.KplaneSubcommand} through which components register
 * their commands. Packages that do not exist yet make no rule fail.
 */
class ArchitectureTest {

  /** The "may use" column, verbatim (jetcd and other libraries are not ours, so not listed). */
  static final Map<String, List<String>> MAY_USE = new LinkedHashMap<>();

  static {
    MAY_USE.put("model", List.of());
    MAY_USE.put("raft", List.of());
    MAY_USE.put("wal", List.of("raft"));
    MAY_USE.put("fanout", List.of());
    MAY_USE.put("kv", List.of("fanout"));
    MAY_USE.put("server", List.of("raft", "wal", "kv"));
    MAY_USE.put("etcd", List.of("kv", "server"));
    MAY_USE.put("apiserver", List.of("model", "fanout", "kv"));
    MAY_USE.put("client", List.of("model"));
    MAY_USE.put("election", List.of("client"));
    MAY_USE.put("controller", List.of("client", "election"));
    MAY_USE.put("scheduler", List.of("model", "client", "election"));
    MAY_USE.put("proxy", List.of("model", "client"));
    MAY_USE.put("kubelet", List.of("client"));
    MAY_USE.put("time", List.of());
  }

  /**
   * Leaf packages every package may use: {@code time} holds the one clock type that runtime shells are
   * given (DESIGN §2, time is an input) and itself uses nothing of ours.
   */
  static final List<String> EVERYONE_MAY_USE = List.of("time");

  /**
   * Known violations, each named with its reason, so that the rules still guard everything else.
   * Remove an entry once the code follows DESIGN.md.
   */
  static final Map<String, List<String>> KNOWN_EXCEPTIONS = Map.of();

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    // Import the two class directories (impl, model) rather than scanning every jar on the classpath.
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPaths(codeSource(io.kplane.cli.KplaneSubcommand.class), codeSource(io.kplane.model.Quantity.class));
  }

  static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The packages a package may use, following the column transitively. */
  static Set<String> allowed(String pkg) {
    Set<String> out = new LinkedHashSet<>();
    List<String> todo = new ArrayList<>(MAY_USE.get(pkg));
    while (!todo.isEmpty()) {
      String next = todo.remove(todo.size() - 1);
      if (out.add(next)) {
        todo.addAll(MAY_USE.get(next));
      }
    }
    return out;
  }

  static ArchRule mayUseOnly(String pkg) {
    return mayUseOnly("io.kplane", pkg);
  }

  /** The rule for one package under a root (the root is a parameter so that fixtures can test the rule). */
  static ArchRule mayUseOnly(String root, String pkg) {
    Set<String> ok = allowed(pkg);
    if (!EVERYONE_MAY_USE.contains(pkg)) {
      ok.addAll(EVERYONE_MAY_USE);
    }
    List<String> okPackages = new ArrayList<>();
    okPackages.add(root + "." + pkg + "..");
    ok.forEach(p -> okPackages.add(root + "." + p + ".."));
    DescribedPredicate<JavaClass> forbidden = resideInAPackage(root + "..")
        .and(not(resideInAnyPackage(okPackages.toArray(String[]::new))))
        .and(not(type(io.kplane.cli.KplaneSubcommand.class)));
    if (root.equals("io.kplane")) {
      for (String exception : KNOWN_EXCEPTIONS.getOrDefault(pkg, List.of())) {
        forbidden = forbidden.and(not(name(exception)));
      }
    }
    return noClasses().that().resideInAPackage(root + "." + pkg + "..")
        .should().dependOnClassesThat(forbidden)
        .because("DESIGN.md §1: " + pkg + " may use " + (ok.isEmpty() ? "no other kplane package" : String.join(", ", ok)))
        .allowEmptyShould(true);
  }

  static ArchRule nothingDependsOnCli(String root) {
    return noClasses().that().resideOutsideOfPackage(root + ".cli..")
        .should().dependOnClassesThat(resideInAPackage(root + ".cli..").and(not(type(io.kplane.cli.KplaneSubcommand.class))))
        .because("DESIGN.md §1: nothing imports cli")
        .allowEmptyShould(true);
  }

  @TestFactory
  List<DynamicTest> eachPackageUsesOnlyWhatItMayUse() {
    return MAY_USE.keySet().stream()
        .map(pkg -> DynamicTest.dynamicTest(pkg, () -> mayUseOnly(pkg).check(classes)))
        .toList();
  }

  @Test
  void nothingDependsOnTheCliExceptThroughTheSubcommandSpi() {
    nothingDependsOnCli("io.kplane").check(classes);
  }

  /**
   * Inside {@code proxy}: the shared model (Service/EndpointSlice tracking, names, tracing types)
   * knows no backend; each backend uses only the shared model (IPVS also the iptables helper rules
   * and their tracer, as upstream's IPVS mode programs iptables too); only {@code proxy.runtime},
   * the sync loop, picks a backend.
   */
  @TestFactory
  List<DynamicTest> proxyBackendsAreSeparate() {
    String p = "io.kplane.proxy";
    Map<String, List<String>> forbidden = new LinkedHashMap<>();
    forbidden.put(p, List.of(p + ".iptables..", p + ".nftables..", p + ".ipvs..", p + ".runtime.."));
    forbidden.put(p + ".iptables..", List.of(p + ".nftables..", p + ".ipvs..", p + ".runtime.."));
    forbidden.put(p + ".nftables..", List.of(p + ".iptables..", p + ".ipvs..", p + ".runtime.."));
    forbidden.put(p + ".ipvs..", List.of(p + ".nftables..", p + ".runtime.."));
    return forbidden.entrySet().stream()
        .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> noClasses().that().resideInAPackage(e.getKey())
            .should().dependOnClassesThat(resideInAnyPackage(e.getValue().toArray(String[]::new)))
            .because("proxy backends are separate packages over a shared model")
            .check(classes)))
        .toList();
  }

  @Test
  void theRulesCatchViolations() {
    // Fixtures under io.kplane.archfixture (test classes): a raft class that uses model, a proxy
    // class that uses client (allowed) and cli (not allowed).
    String root = "io.kplane.archfixture";
    JavaClasses fixtures = new ClassFileImporter().importPath(codeSource(ArchitectureTest.class).resolve("io/kplane/archfixture"));
    assertThat(fixtures).isNotEmpty();
    assertThatThrownBy(() -> mayUseOnly(root, "raft").check(fixtures))
        .isInstanceOf(AssertionError.class).hasMessageContaining("RaftUsingModel").hasMessageContaining("raft may use time");
    mayUseOnly(root, "client").check(fixtures);
    assertThatThrownBy(() -> nothingDependsOnCli(root).check(fixtures))
        .isInstanceOf(AssertionError.class).hasMessageContaining("ProxyUsingCli");
    assertThatThrownBy(() -> mayUseOnly(root, "proxy").check(fixtures))
        .isInstanceOf(AssertionError.class).hasMessageContaining("ProxyUsingCli");
    // a package that does not exist yet does not fail
    mayUseOnly(root, "kubelet").check(fixtures);
    assertThat(allowed("controller")).containsExactlyInAnyOrder("client", "election", "model");
    assertThat(allowed("etcd")).containsExactlyInAnyOrder("kv", "server", "raft", "wal", "fanout");
    assertThat(allowed("raft")).isEmpty();
  }
}
