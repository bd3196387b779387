package io.zynamo.it;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class one local cluster of real PostgreSQL nodes, started before its
 * first test, shared by all its tests and stopped and deleted after the last one.
 *
 * <p>Receive it as a {@link io.zynamo.proxy.embedded.PostgresCluster} constructor or method
 * parameter, or in a non-private field of that type. Nodes run with test settings (no fsync).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(ZynamoClusterExtension.class)
public @interface ZynamoCluster {

  /** How many nodes to start. */
  int nodes() default 3;
}
