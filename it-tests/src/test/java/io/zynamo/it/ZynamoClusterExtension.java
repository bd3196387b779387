package io.zynamo.it;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Starts the cluster a {@link ZynamoCluster} class asks for and hands it to the tests.
 *
 * <p>The cluster lives in the class-level {@link ExtensionContext.Store}, so JUnit closes it (an
 * {@link AutoCloseable}) when the class is done; the cluster's own shutdown hook covers a JVM that
 * exits earlier. Its folder is a fresh directory under {@code java.io.tmpdir}, which the
 * unprivileged server account can reach even when the tests run as root.
 */
public final class ZynamoClusterExtension
    implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(ZynamoClusterExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    PostgresCluster cluster = cluster(context);
    for (Field field : clusterFields(context.getRequiredTestClass())) {
      if (Modifier.isStatic(field.getModifiers())) {
        field.set(null, cluster);
      }
    }
  }

  @Override
  public void postProcessTestInstance(Object testInstance, ExtensionContext context)
      throws IllegalAccessException {
    PostgresCluster cluster = cluster(context);
    for (Field field : clusterFields(testInstance.getClass())) {
      if (!Modifier.isStatic(field.getModifiers())) {
        field.set(testInstance, cluster);
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PostgresCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return cluster(context);
  }

  /** The cluster of the nearest enclosing context whose class carries {@link ZynamoCluster}. */
  private static PostgresCluster cluster(ExtensionContext context) {
    ExtensionContext owner = context;
    Optional<ZynamoCluster> spec = annotation(owner);
    while (spec.isEmpty() && owner.getParent().isPresent()) {
      owner = owner.getParent().get();
      spec = annotation(owner);
    }
    ZynamoCluster wanted =
        spec.orElseThrow(
            () ->
                new ExtensionConfigurationException(
                    context.getDisplayName() + ": no @ZynamoCluster on the test class"));
    return owner
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            PostgresCluster.class, key -> start(wanted.nodes()), PostgresCluster.class);
  }

  private static Optional<ZynamoCluster> annotation(ExtensionContext context) {
    return context
        .getElement()
        .filter(element -> element instanceof Class<?>)
        .flatMap(element -> AnnotationSupport.findAnnotation(element, ZynamoCluster.class));
  }

  private static PostgresCluster start(int nodes) {
    Path parent = Path.of(System.getProperty("java.io.tmpdir"));
    return PostgresCluster.startTemporary(nodes, parent, PostgresConfig.forTests());
  }

  /**
   * Non-final fields of type PostgresCluster, to inject; final ones are left to constructors and
   * private ones are refused rather than forced open by reflection.
   */
  private static List<Field> clusterFields(Class<?> testClass) {
    List<Field> fields =
        ReflectionSupport.findFields(
            testClass,
            field ->
                field.getType() == PostgresCluster.class && !Modifier.isFinal(field.getModifiers()),
            HierarchyTraversalMode.TOP_DOWN);
    for (Field field : fields) {
      if (Modifier.isPrivate(field.getModifiers())) {
        throw new ExtensionConfigurationException(
            field
                + ": a private PostgresCluster field cannot be injected (expected a"
                + " package-private field, or take the cluster as a constructor parameter)");
      }
    }
    return fields;
  }
}
