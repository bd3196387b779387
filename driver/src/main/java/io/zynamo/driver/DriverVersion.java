package io.zynamo.driver;

/**
 * The driver's name and version, as {@link ZynamoDriver} and the connection metadata report them.
 */
public final class DriverVersion {

  /** {@code DatabaseMetaData.getDriverName()}. */
  public static final String NAME = "Zynamo JDBC Driver";

  public static final int MAJOR = 0;
  public static final int MINOR = 1;

  /** {@code major.minor}: {@code DatabaseMetaData.getDriverVersion()}. */
  public static final String VERSION = MAJOR + "." + MINOR;

  private DriverVersion() {}
}
